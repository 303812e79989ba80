using SecureFed.Aggregator.Storage;
using SecureFed.Protocol.Server;

namespace SecureFed.Aggregator.Rounds;

/// <summary>
/// Rebuilds a running round from storage: a fresh state machine is fed the stored R0/R1/R3/R4 envelopes, restored
/// with R2's running sum and contributors, and closed at every stage whose close was recorded. Stage closes are
/// deterministic, so the rebuilt round sends exactly the messages the original did.
/// </summary>
internal static class RoundReplayer
{
    /// <exception cref="InvalidDataException">A stored message is refused on replay (the database is corrupt).</exception>
    public static void Replay(RoundRuntime rt, RoundStore store, long nowMs, long graceMs)
    {
        rt.Start(SecAggServer.Start(rt.Parameters));
        var envelopes = store.Envelopes(rt.RoundId).ToLookup(e => e.Stage);
        HashSet<int> closed = [.. store.ClosedStages(rt.RoundId)];
        for (int stage = 0; stage < 5 && rt.State is { IsTerminal: false } state; stage++)
        {
            if (stage == 2)
            {
                uint[] contributors = [.. envelopes[2].Select(e => e.ClientId)];
                if (contributors.Length > 0)
                {
                    byte[] blob = store.RunningSums(rt.RoundId) ?? throw new InvalidDataException($"round {rt.Id}: masked inputs recorded without a running sum");
                    ((ServerR2MaskedInputState)state).Restore(WordCodec.ReadSums(blob, [.. rt.Parameters.Vectors.Select(v => v.Length)]), contributors);
                }
            }
            else
            {
                foreach (StoredEnvelope e in envelopes[stage])
                {
                    ServerTransition t = state.HandleBytes(e.Envelope ?? throw new InvalidDataException($"round {rt.Id}: stage {stage} message of client {e.ClientId} has no bytes"));
                    if (t.Rejection is { } r)
                    {
                        throw new InvalidDataException($"round {rt.Id}: stored stage {stage} message of client {e.ClientId} is refused on replay: {r.Reason}: {r.Detail}");
                    }
                }
            }
            foreach (StoredEnvelope e in envelopes[stage])
            {
                rt.AddDigest(e.ClientId, Convert.ToHexString(e.Digest));
            }
            if (!closed.Contains(stage))
            {
                break;
            }
            rt.ApplyClose(stage, state.CloseStage());
        }
        rt.GraceUntilMs = nowMs + graceMs;
    }
}
