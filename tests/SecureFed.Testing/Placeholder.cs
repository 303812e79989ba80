namespace SecureFed.Testing; internal static class Placeholder { }
