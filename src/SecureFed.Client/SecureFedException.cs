namespace SecureFed.Client;

/// <summary>Base of every error the client library reports (catch this to handle them all).</summary>
public abstract class SecureFedException(string message, Exception? inner = null) : Exception(message, inner);
