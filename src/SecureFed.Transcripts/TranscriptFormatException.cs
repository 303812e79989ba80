namespace SecureFed.Transcripts;

/// <summary>A transcript or key file cannot be parsed (bad magic, framing, truncation or MessagePack); the message says where.</summary>
public sealed class TranscriptFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TranscriptFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public TranscriptFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
