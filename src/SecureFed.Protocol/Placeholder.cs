namespace SecureFed.Protocol; internal static class Placeholder { }
