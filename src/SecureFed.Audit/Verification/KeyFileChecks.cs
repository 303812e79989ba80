using System.Security.Cryptography;
using SecureFed.Audit.Keys;
using SecureFed.Primitives.KeyAgreement;
using SecureFed.Primitives.Prg;
using SecureFed.Primitives.Secrets;
using SecureFed.Primitives.Signatures;
using SecureFed.Primitives.Vectors;
using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Messages;

namespace SecureFed.Audit.Verification;

// Checks that need the auditor's key file: the secrets match the advertised keys, every masked input equals the
// input plus the masks recomputed from the secrets (protocol-spec/secagg.md section 7), and the published sum is the
// plain sum of the survivors' inputs.
internal static class KeyFileChecks
{
    public static void Run(RoundView v, AuditKeyFile keys, IReadOnlyDictionary<uint, byte[]> rebuiltSeeds, List<AuditCheck> checks)
    {
        const string roundId = "keys.round", roundText = "the key file belongs to this round (same configuration hash) and covers the roster";
        bool sameRound = keys.ConfigurationHash.AsSpan().SequenceEqual(v.Parameters.ConfigurationHash.Span);
        bool covers = v.Parameters.ClientIds.All(id => keys.For(id) is { } k && k.Inputs.Length == v.Parameters.Vectors.Count);
        checks.Add(AuditCheck.From(roundId, roundText, sameRound && covers, $"configuration hash {Convert.ToHexStringLower(keys.ConfigurationHash)[..16]}..., {keys.Clients.Count} clients",
            sameRound ? "the key file lacks some roster client or vector" : "the key file's configuration hash is not this round's"));
        if (!sameRound || !covers)
        {
            return;
        }
        checks.Add(PublicKeys(v, keys));
        checks.Add(SelfMaskSeeds(keys, rebuiltSeeds));
        checks.Add(MaskedInputs(v, keys));
        checks.Add(Sum(v, keys));
    }

    internal static ulong[][] Inputs(RoundView v, AuditClientKeys k)
    {
        var x = new ulong[v.Parameters.Vectors.Count][];
        for (int j = 0; j < x.Length; j++)
        {
            x[j] = new ulong[v.Parameters.Vectors[j].Length];
            if (!ModularArithmetic.TryDecode(k.Inputs[j], v.Parameters.Vectors[j].Bits, x[j]))
            {
                throw new SecureFed.Transcripts.TranscriptFormatException($"key file: client {k.ClientId}'s input {j} has the wrong length or out-of-range elements");
            }
        }
        return x;
    }

    private static AuditCheck PublicKeys(RoundView v, AuditKeyFile keys)
    {
        const string id = "keys.public", text = "each client's secrets give its enrolled identity key and its advertised mask and encryption keys";
        foreach (uint u in v.Parameters.ClientIds)
        {
            AuditClientKeys k = keys.For(u)!;
            using IdentityKeyPair identity = IdentityKeyPair.FromSeed(k.IdentitySeed);
            if (!identity.PublicKey.Equals(v.Parameters.Identities[u]))
            {
                return AuditCheck.Fail(id, text, $"client {u}'s identity seed does not give its enrolled key");
            }
            if (v.Advertised.TryGetValue(u, out AdvertiseKeys? adv))
            {
                using var mask = AgreementKeyPair.FromPrivateKey(k.MaskPrivateKey);
                using var enc = AgreementKeyPair.FromPrivateKey(k.EncryptionPrivateKey);
                if (!mask.PublicKey.SequenceEqual(adv.MaskPublicKey) || !enc.PublicKey.SequenceEqual(adv.EncryptionPublicKey))
                {
                    return AuditCheck.Fail(id, text, $"client {u}'s private keys do not give its advertised public keys");
                }
            }
        }
        return AuditCheck.Pass(id, text, $"{v.Parameters.ClientIds.Count} identities and {v.Advertised.Count} advertised key pairs match");
    }

    private static AuditCheck SelfMaskSeeds(AuditKeyFile keys, IReadOnlyDictionary<uint, byte[]> rebuilt)
    {
        const string id = "keys.self-mask-seeds", text = "the self-mask seeds rebuilt from revealed shares are the clients' own seeds";
        if (rebuilt.Count == 0)
        {
            return AuditCheck.Skip(id, text, "no seeds were rebuilt (no result)");
        }
        uint? bad = rebuilt.Where(kv => !kv.Value.AsSpan().SequenceEqual(keys.For(kv.Key)!.SelfMaskSeed)).Select(kv => (uint?)kv.Key).FirstOrDefault();
        return bad is uint b
            ? AuditCheck.Fail(id, text, $"the seed rebuilt for client {b} is not its seed")
            : AuditCheck.Pass(id, text, $"{rebuilt.Count} rebuilt seeds equal the key file's");
    }

    private static AuditCheck MaskedInputs(RoundView v, AuditKeyFile keys)
    {
        const string id = "keys.masked-inputs", text = "each masked input y_u = x_u + PRG(b_u) + sum over share senders v of +-PRG(s_uv), recomputed from the secrets";
        if (v.U3.Count == 0 || v.SessionId is null)
        {
            return AuditCheck.Skip(id, text, "no masked inputs were sent");
        }
        var specs = v.Parameters.Vectors;
        using var pairSeed = new SecretBuffer(SessionDerivation.HashSize);
        foreach (uint u in v.U3)
        {
            AuditClientKeys k = keys.For(u)!;
            ulong[][] y = Inputs(v, k);
            for (int j = 0; j < specs.Count; j++)
            {
                MaskGenerator.Apply(k.SelfMaskSeed, (ulong)j, y[j], specs[j].Bits, subtract: false);
            }
            // D_u: the senders of the bundles delivered to u (protocol-spec/secagg.md section 7).
            var delivery = v.ServerMessagesOf<ShareDelivery>().FirstOrDefault(s => s.Recipient == u)?.Message as ShareDelivery;
            using var mask = AgreementKeyPair.FromPrivateKey(k.MaskPrivateKey);
            foreach (uint peer in (delivery?.Shares ?? []).Select(s => s.PeerId))
            {
                if (!v.Advertised.TryGetValue(peer, out AdvertiseKeys? adv) ||
                    !mask.TryDeriveSharedKey(adv.MaskPublicKey, v.SessionId, SessionDerivation.PairwiseMaskInfo(u, peer), pairSeed.Span))
                {
                    return AuditCheck.Fail(id, text, $"client {u}: no pairwise seed with delivering peer {peer}");
                }
                for (int j = 0; j < specs.Count; j++)
                {
                    MaskGenerator.Apply(pairSeed.Span, (ulong)j, y[j], specs[j].Bits, subtract: u > peer);
                }
            }
            for (int j = 0; j < specs.Count; j++)
            {
                if (!y[j].AsSpan().SequenceEqual(v.MaskedInputs[u][j]))
                {
                    return AuditCheck.Fail(id, text, $"client {u}, vector {j}: the recorded masked input is not its input plus its masks");
                }
                CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(y[j].AsSpan()));
            }
        }
        return AuditCheck.Pass(id, text, $"{v.U3.Count} masked inputs recomputed exactly");
    }

    private static AuditCheck Sum(RoundView v, AuditKeyFile keys)
    {
        const string id = "keys.sum", text = "the published sum equals the plain sum of the survivors' inputs";
        if (v.Result is not { Completed: true } result)
        {
            return AuditCheck.Skip(id, text, "the round did not publish a result");
        }
        var specs = v.Parameters.Vectors;
        ulong[][] sums = [.. specs.Select(s => new ulong[s.Length])];
        foreach (uint u in result.Survivors)
        {
            ulong[][] x = Inputs(v, keys.For(u)!);
            for (int j = 0; j < specs.Count; j++)
            {
                ModularArithmetic.AddInPlace(sums[j], x[j], specs[j].Bits);
            }
        }
        bool ok = result.Sums.Length == specs.Count &&
            Enumerable.Range(0, specs.Count).All(j => ModularArithmetic.Encode(sums[j], specs[j].Bits).AsSpan().SequenceEqual(result.Sums[j]));
        return AuditCheck.From(id, text, ok, $"sum of {result.Survivors.Length} survivors' inputs, {specs.Sum(s => s.Length)} elements, equal",
            "the published sum is not the sum of the survivors' inputs");
    }
}
