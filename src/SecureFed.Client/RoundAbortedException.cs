using SecureFed.Protocol.Messages;

namespace SecureFed.Client;

/// <summary>The round ended without this client's contribution being aggregated: the server aborted it, or the
/// client stopped because the server broke the protocol.</summary>
public sealed class RoundAbortedException(string roundId, AbortReason reason, string detail)
    : SecureFedException($"round {roundId} aborted: {reason}: {detail}")
{
    /// <summary>The round.</summary>
    public string RoundId { get; } = roundId;

    /// <summary>Why (protocol-spec/secagg.md section 8).</summary>
    public AbortReason Reason { get; } = reason;

    /// <summary>HE rounds aborted by the server: its reason (0 = aborted by the operator); null otherwise.</summary>
    public SecureFed.HeProtocol.Messages.HeAbortReason? HeReason { get; init; }

    /// <summary>Human-readable detail (never secret).</summary>
    public string Detail { get; } = detail;
}
