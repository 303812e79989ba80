using SecureFed.Primitives.KeyAgreement;
using SecureFed.Primitives.Prg;
using SecureFed.Primitives.Secrets;
using SecureFed.Primitives.Shamir;
using SecureFed.Primitives.Vectors;
using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Messages;

namespace SecureFed.Audit.Verification;

// Recomputes the result from the transcript alone (protocol-spec/secagg.md section 8): sum the recorded masked
// inputs, rebuild each survivor's self-mask seed and each dropped client's mask key from the revealed shares (every
// t-subset tried must agree), check each revealed pair seed against the rebuilt key, subtract the masks, and compare
// with the published sums.
internal static class UnmaskingCheck
{
    public const string Id = "result.unmasking";
    private const string Text = "the published sum equals the unmasking of the recorded masked inputs with the revealed shares";

    // Also returns the reconstructed self-mask seeds (owner -> seed) for the key-file checks; the caller wipes them.
    public static AuditCheck Run(RoundView v, Dictionary<uint, byte[]> selfMaskSeeds)
    {
        if (v.Result is not { Completed: true } result)
        {
            return AuditCheck.Skip(Id, Text, "the round did not publish a result");
        }
        if (v.SessionId is null || v.Graph is null)
        {
            return AuditCheck.Fail(Id, Text, "a result was published but the transcript has no key directory");
        }
        var specs = v.Parameters.Vectors;
        ulong[][] sums = [.. specs.Select(s => new ulong[s.Length])];
        foreach (uint u in v.U3)
        {
            for (int j = 0; j < specs.Count; j++)
            {
                ModularArithmetic.AddInPlace(sums[j], v.MaskedInputs[u][j], specs[j].Bits);
            }
        }
        var shares = new Dictionary<(uint Owner, ShareKind Kind), List<(uint Holder, byte[] Share)>>();
        foreach (var (holder, body) in v.Reveals.OrderBy(kv => kv.Key))
        {
            foreach (RevealedShare s in body.Shares)
            {
                if (!shares.TryGetValue((s.OwnerId, s.Kind), out var list))
                {
                    shares[(s.OwnerId, s.Kind)] = list = [];
                }
                list.Add((holder, s.Share));
            }
        }
        foreach (uint u in v.U3)
        {
            string? failure = Reconstruct(v, shares, u, ShareKind.SelfMaskSeed, out byte[] seed);
            if (failure is not null)
            {
                return AuditCheck.Fail(Id, Text, failure);
            }
            selfMaskSeeds[u] = seed;
            for (int j = 0; j < specs.Count; j++)
            {
                MaskGenerator.Apply(seed, (ulong)j, sums[j], specs[j].Bits, subtract: true);
            }
        }
        foreach (uint d in v.U2.Except(v.U3))
        {
            string? failure = Reconstruct(v, shares, d, ShareKind.MaskPrivateKey, out byte[] key);
            if (failure is not null)
            {
                return AuditCheck.Fail(Id, Text, failure);
            }
            using var pair = AgreementKeyPair.FromPrivateKey(key);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(key);
            if (!pair.PublicKey.SequenceEqual(v.Advertised[d].MaskPublicKey))
            {
                return AuditCheck.Fail(Id, Text, $"client {d}'s reconstructed mask key does not match its advertised public key");
            }
            using var pairSeed = new SecretBuffer(SessionDerivation.HashSize);
            foreach (uint u in v.U3.Where(u => v.Graph.AreNeighbours(u, d)))
            {
                if (!pair.TryDeriveSharedKey(v.Advertised[u].MaskPublicKey, v.SessionId, SessionDerivation.PairwiseMaskInfo(u, d), pairSeed.Span))
                {
                    return AuditCheck.Fail(Id, Text, $"key agreement of clients {u} and {d} gives the all-zero output");
                }
                // A survivor that answered R4 revealed s_ud itself (secagg.md section 8); it must be this seed.
                if (v.Reveals.TryGetValue(u, out UnmaskingShares? reveal) && reveal.PairSeeds?.FirstOrDefault(p => p?.PeerId == d) is { } revealed
                    && (revealed.Seed is null || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(revealed.Seed, pairSeed.Span)))
                {
                    return AuditCheck.Fail(Id, Text, $"client {u} revealed a pair seed for dropped client {d} that does not follow from d's rebuilt mask key");
                }
                // Survivor u added +PRG(s_ud) when u < d and -PRG(s_ud) when u > d.
                for (int j = 0; j < specs.Count; j++)
                {
                    MaskGenerator.Apply(pairSeed.Span, (ulong)j, sums[j], specs[j].Bits, subtract: u < d);
                }
            }
        }
        if (result.Sums.Length != specs.Count)
        {
            return AuditCheck.Fail(Id, Text, $"the result has {result.Sums.Length} vectors, the configuration {specs.Count}");
        }
        for (int j = 0; j < specs.Count; j++)
        {
            if (!ModularArithmetic.Encode(sums[j], specs[j].Bits).AsSpan().SequenceEqual(result.Sums[j]))
            {
                return AuditCheck.Fail(Id, Text, $"vector {j}: the published sum differs from the unmasked sum of the {v.U3.Count} recorded masked inputs");
            }
        }
        return AuditCheck.Pass(Id, Text, $"recomputed from {v.U3.Count} masked inputs, {v.U3.Count} rebuilt self-mask seeds and {v.U2.Count - v.U3.Count} rebuilt mask keys; equal to the published sum");
    }

    // Rebuilds a 32-byte secret from the first t shares (ascending holder) and checks every further share agrees by
    // rebuilding from the last t too.
    private static string? Reconstruct(RoundView v, Dictionary<(uint, ShareKind), List<(uint Holder, byte[] Share)>> shares, uint owner, ShareKind kind, out byte[] secret)
    {
        secret = new byte[ShamirScheme.SecretSize];
        int t = v.Parameters.Threshold;
        if (!shares.TryGetValue((owner, kind), out var list) || list.Count < t)
        {
            return $"only {list?.Count ?? 0} {kind} shares of client {owner} were revealed, fewer than t = {t}";
        }
        var first = list.OrderBy(s => s.Holder).Take(t).ToArray();
        var last = list.OrderBy(s => s.Holder).TakeLast(t).ToArray();
        using var other = new SecretBuffer(ShamirScheme.SecretSize);
        if (!TryRebuild(first, secret) || !TryRebuild(last, other.Span) || !other.Span.SequenceEqual(secret))
        {
            return $"the revealed {kind} shares of client {owner} are inconsistent";
        }
        return null;
    }

    private static bool TryRebuild((uint Holder, byte[] Share)[] chosen, Span<byte> secret)
    {
        using var packed = new SecretBuffer(chosen.Length * ShamirScheme.ShareSize);
        for (int i = 0; i < chosen.Length; i++)
        {
            if (chosen[i].Share.Length != ShamirScheme.ShareSize)
            {
                return false;
            }
            chosen[i].Share.CopyTo(packed.Span[(i * ShamirScheme.ShareSize)..]);
        }
        uint[] holders = [.. chosen.Select(c => c.Holder)];
        return ShamirScheme.TryReconstruct(new LagrangeBasis(holders), packed.Span, secret);
    }
}
