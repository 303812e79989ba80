using SecureFed.Primitives.Prg;
using SecureFed.Primitives.Secrets;
using SecureFed.Primitives.Vectors;
using SecureFed.Protocol.Derivation;

namespace SecureFed.Protocol.Server;

// Removes self masks of survivors and the pairwise masks survivors shared with dropped clients. The mask
// expansions are independent, so they run in parallel into per-thread accumulators (memory O(length x cores)),
// merged into the sum at the end.
internal static class MaskRemoval
{
    private readonly record struct Job(uint Owner, uint Peer, bool IsSelfMask);

    public static void Remove(ServerContext context, ulong[][] sums, ReconstructedSecrets secrets)
    {
        var jobs = new List<Job>();
        jobs.AddRange(secrets.SelfMaskSeeds.Keys.Select(u => new Job(u, 0, true)));
        foreach (uint v in secrets.DroppedMaskKeys.Keys)
        {
            jobs.AddRange(context.Survivors.Where(u => context.Graph!.AreNeighbours(u, v)).Select(u => new Job(v, u, false)));
        }
        var specs = context.Parameters.Vectors;
        object merge = new();
        Parallel.ForEach(
            jobs,
            () => specs.Select(s => new ulong[s.Length]).ToArray(),
            (job, _, acc) =>
            {
                Apply(context, secrets, job, acc);
                return acc;
            },
            acc =>
            {
                lock (merge)
                {
                    for (int j = 0; j < specs.Count; j++)
                    {
                        ModularArithmetic.AddInPlace(sums[j], acc[j], specs[j].Bits);
                    }
                }
            });
    }

    private static void Apply(ServerContext context, ReconstructedSecrets secrets, Job job, ulong[][] acc)
    {
        var specs = context.Parameters.Vectors;
        if (job.IsSelfMask)
        {
            ReadOnlySpan<byte> seed = secrets.SelfMaskSeeds[job.Owner].Span;
            for (int j = 0; j < specs.Count; j++)
            {
                MaskGenerator.Apply(seed, (ulong)j, acc[j], specs[j].Bits, subtract: true);
            }
            return;
        }
        uint v = job.Owner, u = job.Peer;
        using var pairSeed = new SecretBuffer(SessionDerivation.HashSize);
        if (!secrets.DroppedMaskKeys[v].TryDeriveSharedKey(context.Keys[u].MaskPublicKey, context.SessionId,
                SessionDerivation.PairwiseMaskInfo(u, v), pairSeed.Span))
        {
            throw new InvalidOperationException($"key agreement between clients {u} and {v} failed after R0 validation");
        }
        // Survivor u added +PRG(s_uv) when u < v and -PRG(s_uv) when u > v; undo it.
        for (int j = 0; j < specs.Count; j++)
        {
            MaskGenerator.Apply(pairSeed.Span, (ulong)j, acc[j], specs[j].Bits, subtract: u < v);
        }
    }
}
