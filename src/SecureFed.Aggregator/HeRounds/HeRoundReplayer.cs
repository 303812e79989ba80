using SecureFed.Aggregator.Storage;
using SecureFed.HeProtocol;
using SecureFed.HeProtocol.Server;

namespace SecureFed.Aggregator.HeRounds;

/// <summary>Rebuilds a running HE round from its replay log (he_log) after a restart or a failed write.</summary>
internal static class HeRoundReplayer
{
    /// <summary>
    /// Rebuilds a running round from its log: <see cref="HeServer.Replay"/> over every entry but the last close, then
    /// that close once more, which re-creates the messages parties may still poll (closes are deterministic).
    /// </summary>
    /// <exception cref="HeProtocolException">A logged entry is refused on replay (the database is corrupt).</exception>
    public static void Replay(HeRoundRuntime rt, HeRoundStore store, long nowMs, long graceMs)
    {
        List<HeLogRow> log = store.Log(rt.RoundId);
        int lastClose = log.FindLastIndex(r => r.IsClose);
        int split = lastClose >= 0 ? lastClose : log.Count;
        rt.Start(HeServer.Start(rt.Parameters));
        foreach (HeLogRow row in log.Take(split))
        {
            if (row.IsClose)
            {
                rt.CountClose();
            }
            else
            {
                rt.Accepted(row.ClientId, Convert.ToHexString(row.Digest!));
            }
        }
        HeServerState state = HeServer.Replay(rt.Parameters, log.Take(split).Select(Entry));
        rt.Resume(state);
        if (lastClose >= 0)
        {
            rt.ApplyClose(state.CloseStage());
            foreach (HeLogRow row in log.Skip(lastClose + 1))
            {
                HeServerTransition t = rt.State!.HandleBytes(row.Envelope!);
                if (t.Rejection is { } r)
                {
                    throw new HeProtocolException($"log entry {row.Seq} was refused on replay: {r}");
                }
                rt.Accepted(row.ClientId, Convert.ToHexString(row.Digest!));
            }
        }
        rt.GraceUntilMs = nowMs + graceMs;
    }

    private static HeServerLogEntry Entry(HeLogRow row) => row.IsClose ? HeServerLogEntry.Close : HeServerLogEntry.Message(row.Envelope!);
}
