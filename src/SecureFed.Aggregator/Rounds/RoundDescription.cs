using SecureFed.Aggregator.Protocols;
using SecureFed.Privacy.Ledger;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Diagnostics;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Rounds;

/// <summary>A round as the operator sees it (<c>GET /admin/v1/rounds/{id}</c>), the same fields for every scheme.</summary>
internal static class RoundDescription
{
    public static RoundStatus Describe(RoundRuntime rt, IHostedScheme scheme, bool includeSums, PrivacyLedgers? ledgers)
    {
        RoundEnd? end = rt.End;
        RoundProgress? progress = end is null ? rt.Server.Progress : null;
        var status = new RoundStatus
        {
            Scheme = WireNames.Of(rt.Server.Scheme),
            RoundId = rt.Id,
            Federation = rt.Federation,
            Status = WireNames.Of(rt.Phase),
            Stage = progress?.Stage,
            StageDeadlineUnixMs = progress is null ? null : rt.StageDeadlineMs,
            RosterSize = rt.Server.Identities.Count,
            Threshold = rt.Server.Threshold,
            Received = progress?.Received ?? 0,
            Expected = progress?.Expected ?? 0,
            Survivors = end?.Result is { } s ? [.. s.Survivors] : null,
            Dropped = end?.Result is { } d ? [.. d.Dropped] : null,
            Sums = includeSums && end?.Result is { } r ? [.. r.Sums] : null,
            Attempts = end?.Result?.Attempts,
            AbortReason = end?.Abort?.ReasonName,
            AbortDetail = end?.Abort?.Detail,
            QuietCloseSeconds = rt.QuietClose is { } quiet ? [.. quiet.QuietMs.Select(ms => ms / 1000.0)] : null,
            QuietCloseQuorum = rt.QuietClose?.QuorumFraction,
            StageQuorum = rt.StageQuorum,
            ServerPeakMb = PeakResidentMemory.Read() is long bytes ? Math.Round(bytes / (1024.0 * 1024.0), 1) : null,
        };
        scheme.Describe(rt.Server, end, status);
        status.GraphSeed ??= rt.EndedGraphSeed;
        if (rt.Encoding is { } encoding)
        {
            PrivacyLedger? ledger = null;
            if (encoding.Dp is not null && ledgers is not null)
            {
                lock (ledgers.Gate)
                {
                    ledger = ledgers.Find(rt.Federation);
                    status.Encoding = encoding.Describe(end?.Result?.Survivors.Count, ledger);
                }
            }
            else
            {
                // Without the ledger (the cluster adds its figures from PostgreSQL) the round's own epsilon is still right.
                status.Encoding = encoding.Describe(end?.Result?.Survivors.Count, null);
            }
        }
        return status;
    }
}
