namespace SecureFed.Privacy; internal static class Placeholder { }
