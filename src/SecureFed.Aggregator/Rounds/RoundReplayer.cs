using SecureFed.Aggregator.Storage;
using SecureFed.Protocol.Server;

namespace SecureFed.Aggregator.Rounds;

/// <summary>
/// Rebuilds a running round, of any scheme, from its append-only log: a fresh server from the stored configuration is
/// fed every logged envelope and closed at every logged close, in order. The server is deterministic given those
/// events, so the rebuilt round serves exactly the messages the original did; digests and the log position (one past the last row's seq) come back too.
/// </summary>
internal static class RoundReplayer
{
    /// <exception cref="InvalidDataException">A logged envelope is refused on replay (the database is corrupt).</exception>
    public static void Replay(RoundRuntime rt, RoundStore store, long nowMs, long graceMs)
    {
        List<RoundLogEntry> log = store.Log(rt.RoundId);
        rt.Restart();
        foreach (RoundLogEntry entry in log)
        {
            if (entry.IsClose)
            {
                rt.ApplyClose(rt.Server.Close());
                continue;
            }
            if (rt.Server.Handle(entry.Envelope) is MessageRejection r)
            {
                throw new InvalidDataException($"round {rt.Id}: log entry {entry.Seq} (client {entry.ClientId}) is refused on replay: {r}");
            }
            rt.Accepted(entry.ClientId, Convert.ToHexString(entry.Digest ?? []));
        }
        if (log.Count > 0)
        {
            rt.ReplayedUpTo(log[^1].Seq);
        }
        rt.GraceUntilMs = nowMs + graceMs;
    }
}
