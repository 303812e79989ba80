using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.HeRounds;

/// <summary>An HE round as the operator sees it: the masking round's status fields, Scheme "he" and the attempts.</summary>
internal static class HeRoundDescription
{
    public static RoundStatus Describe(HeRoundRuntime rt, bool includeSums)
    {
        var state = rt.State;
        return new RoundStatus
        {
            Scheme = Schemes.He,
            RoundId = rt.Id,
            Federation = rt.Federation,
            Status = rt.Status,
            Stage = state?.Stage is { } s ? (int)s : null,
            StageDeadlineUnixMs = state?.Stage is null ? null : rt.StageDeadlineMs,
            RosterSize = rt.Parameters.ClientIds.Count,
            Threshold = rt.Parameters.Threshold,
            Received = state?.Received.Count ?? 0,
            Expected = state?.Expected.Count ?? 0,
            Survivors = rt.Result is { } r ? [.. r.Contributors] : null,
            Dropped = rt.Result is { } d ? [.. rt.Parameters.ClientIds.Except(d.Contributors)] : null,
            Sums = includeSums && rt.Result is { } sum ? [sum.Sum] : null,
            Attempts = rt.Attempts,
            AbortReason = rt.AbortNotice is { } n ? n.Reason.ToString() : null,
            AbortDetail = rt.AbortNotice?.Detail,
        };
    }
}
