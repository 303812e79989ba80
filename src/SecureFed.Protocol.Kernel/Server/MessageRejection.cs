namespace SecureFed.Protocol.Server;

/// <summary>A refused client or party message: the reason and a human-readable detail (never secret).</summary>
public sealed record MessageRejection(RejectionReason Reason, string Detail)
{
    /// <inheritdoc />
    public override string ToString() => $"{Reason}: {Detail}";
}
