namespace SecureFed.Client;

/// <summary>Every attempt of a request failed with a transient error (network, timeout, 408/429/5xx).</summary>
public sealed class ServerUnreachableException(string message, Exception? inner)
    : SecureFedException(message, inner);
