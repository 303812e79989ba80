using System.Security.Cryptography;
using SecureFed.Primitives.Prg;
using SecureFed.Protocol.Concurrency;
using SecureFed.Protocol.Derivation;

namespace SecureFed.Protocol.Server;

// Removes self masks of survivors and the pairwise masks survivors shared with dropped clients. A pair seed is the one
// the survivor revealed in R4, or else derived from the dropped client's rebuilt mask key (one X25519 each, in
// parallel); then one MaskSeedSet walks each sum vector once, chunk by chunk on every core, so memory stays
// O(length + seeds) and the expansion runs at the keystream rate.
internal static class MaskRemoval
{
    public static void Remove(ServerContext context, ulong[][] sums, ReconstructedSecrets secrets,
        IReadOnlyList<(uint Dropped, uint Survivor)> pairs, IReadOnlyDictionary<(uint Dropped, uint Survivor), byte[]> revealed)
    {
        int selfMasks = secrets.SelfMaskSeeds.Count;
        using var masks = new MaskSeedSet(selfMasks + pairs.Count);
        // Every slot's AES key schedule is expanded on every core, self masks and pair seeds in one loop (45,000 at
        // n = 10,000; the 9,000 self masks ran on one core before).
        var self = secrets.SelfMaskSeeds.Values.ToArray();
        int cores = Environment.ProcessorCount;
        var agreed = new bool[pairs.Count];
        BoundedParallel.For(cores, selfMasks + pairs.Count, i =>
        {
            if (i < selfMasks)
            {
                masks.Set(i, self[i].Span, subtract: true);
            }
            else
            {
                agreed[i - selfMasks] = DerivePairSeed(context, secrets, revealed, pairs[i - selfMasks].Dropped, pairs[i - selfMasks].Survivor, masks, i);
            }
        });
        int failed = BoundedParallel.FirstFailure(agreed);
        if (failed >= 0)
        {
            throw new InvalidOperationException($"key agreement between clients {pairs[failed].Survivor} and {pairs[failed].Dropped} failed after R0 validation");
        }
        masks.SetCount(selfMasks + pairs.Count);
        var specs = context.Parameters.Vectors;
        for (int j = 0; j < specs.Count; j++)
        {
            masks.ApplyTo((ulong)j, sums[j], specs[j].Bits, cores);
        }
    }

    // Survivor u added +PRG(s_uv) when u < v and -PRG(s_uv) when u > v; the set undoes it. Thread-safe.
    private static bool DerivePairSeed(ServerContext context, ReconstructedSecrets secrets,
        IReadOnlyDictionary<(uint Dropped, uint Survivor), byte[]> revealed, uint v, uint u, MaskSeedSet masks, int slot)
    {
        if (revealed.TryGetValue((v, u), out byte[]? given))
        {
            masks.Set(slot, given, subtract: u < v);
            return true;
        }
        Span<byte> seed = stackalloc byte[SessionDerivation.HashSize];
        try
        {
            if (!secrets.DroppedMaskKeys[v].TryDeriveSharedKey(context.Keys[u].MaskPublicKey, context.SessionId, SessionDerivation.PairwiseMaskInfo(u, v), seed))
            {
                return false;
            }
            masks.Set(slot, seed, subtract: u < v);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }
}
