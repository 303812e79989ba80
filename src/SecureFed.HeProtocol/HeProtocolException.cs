namespace SecureFed.HeProtocol;

/// <summary>
/// A party (decryptor or client) refuses a server message: a bad or missing signature, a message that does not
/// fit the round, or a request the decryptor must not answer. The message never contains secret material.
/// </summary>
public sealed class HeProtocolException(string message, Exception? inner = null) : Exception(message, inner);
