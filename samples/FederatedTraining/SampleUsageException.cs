namespace SecureFed.Samples.FederatedTraining;

/// <summary>Bad command-line usage (exit code 2); the message says which option and why.</summary>
internal sealed class SampleUsageException(string message) : Exception(message);
