using SecureFed.Aggregator.Protocols;
using SecureFed.Aggregator.Storage;
using SecureFed.Protocol.Hosting;

namespace SecureFed.Aggregator.Rounds;

/// <summary>Brings rounds back from the database: running ones replayed from their logs, ended ones as their outcome keeps them.</summary>
internal sealed class RoundLoader(RoundStore store, HostedSchemes schemes, RoundEncodingStore encodings)
{
    /// <summary>
    /// An ended round as the database keeps it (null when unknown or still running): the configuration, the outcome and
    /// each accepted envelope's sender and digest, so a resend of an accepted envelope stays a 200 (transport.md).
    /// </summary>
    public RoundRuntime? Ended(byte[] roundId)
    {
        if (store.Find(roundId) is not { Outcome: { } outcome } row)
        {
            return null;
        }
        RoundRuntime rt = New(row, StoredOutcome.GraphSeedOf(outcome));
        rt.Finish(StoredOutcome.Decode(outcome));
        foreach ((uint client, byte[] digest) in store.EndedDigests(row.RoundId))
        {
            rt.Accepted(client, Convert.ToHexString(digest));
        }
        return rt;
    }

    /// <summary>Every running round, each replayed from its log; open stages stay open <paramref name="graceMs"/> more.</summary>
    /// <exception cref="InvalidDataException">A logged envelope is refused on replay (the database is corrupt).</exception>
    public IEnumerable<(StoredRound Row, RoundRuntime Runtime)> Running(long nowMs, long graceMs)
    {
        foreach (StoredRound row in store.LoadRunning())
        {
            RoundRuntime rt = New(row);
            RoundReplayer.Replay(rt, store, nowMs, graceMs);
            yield return (row, rt);
        }
    }

    private RoundRuntime New(StoredRound row, string? endedGraphSeed = null)
    {
        IRoundProtocol protocol = schemes[row.Scheme].Protocol;
        return new RoundRuntime(row.RoundId, row.Federation, protocol, protocol.Start(row.Configuration, row.MinimumClients), row.DeadlinesMs, row.MinimumClients)
        {
            StageOpenedAtMs = row.StageOpenedAtMs,
            Transcript = store.HasTranscript(row.RoundId),
            Encoding = encodings.Load(row.RoundId),
            EndedGraphSeed = endedGraphSeed,
            QuietClose = store.QuietClose(row.RoundId),
        };
    }
}
