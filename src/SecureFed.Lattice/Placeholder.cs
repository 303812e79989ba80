namespace SecureFed.Lattice; internal static class Placeholder { }
