namespace SecureFed.Protocol.Messages;

/// <summary>Bytes that do not decode to a well-formed protocol message (or exceed the size limit).</summary>
public sealed class MalformedMessageException(string message, Exception? inner = null) : Exception(message, inner);
