namespace SecureFed.HeProtocol.Server;

/// <summary>A refused party message: the reason and a human-readable detail (never secret).</summary>
public sealed record HeRejection(HeRejectionReason Reason, string Detail)
{
    /// <inheritdoc />
    public override string ToString() => $"{Reason}: {Detail}";
}
