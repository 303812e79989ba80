using SecureFed.Primitives.KeyAgreement;
using SecureFed.Primitives.Secrets;
using SecureFed.Primitives.Shamir;

namespace SecureFed.Protocol.Server;

// The self-mask seeds of survivors and the mask keys of dropped clients, rebuilt from t shares each; wiped on dispose.
internal sealed class ReconstructedSecrets : IDisposable
{
    public Dictionary<uint, SecretBuffer> SelfMaskSeeds { get; } = [];

    public Dictionary<uint, AgreementKeyPair> DroppedMaskKeys { get; } = [];

    // Returns null on success, else the lowest owner whose secret failed and why (no secret material in the text).
    public (uint Owner, string Detail)? Reconstruct(ServerContext context, HashSet<uint> alive, HashSet<uint> dropped,
        Dictionary<uint, List<(uint Holder, byte[] Share)>> shares)
    {
        int t = context.Parameters.Threshold;
        var bases = new Dictionary<string, LagrangeBasis>(StringComparer.Ordinal);
        foreach (uint owner in alive.Concat(dropped).Order())
        {
            if (!shares.TryGetValue(owner, out var list) || list.Count < t)
            {
                return (owner, $"only {list?.Count ?? 0} shares for client {owner}, fewer than t = {t}");
            }
            var chosen = list.OrderBy(s => s.Holder).Take(t).ToArray();
            uint[] holders = [.. chosen.Select(s => s.Holder)];
            string key = string.Join(',', holders);
            if (!bases.TryGetValue(key, out LagrangeBasis? basis))
            {
                bases[key] = basis = new LagrangeBasis(holders);
            }
            using var packed = new SecretBuffer(t * ShamirScheme.ShareSize);
            for (int i = 0; i < t; i++)
            {
                chosen[i].Share.CopyTo(packed.Span[(i * ShamirScheme.ShareSize)..]);
            }
            var secret = new SecretBuffer(ShamirScheme.SecretSize);
            if (!ShamirScheme.TryReconstruct(basis, packed.Span, secret.Span))
            {
                secret.Dispose();
                return (owner, $"the shares of client {owner} are inconsistent");
            }
            if (alive.Contains(owner))
            {
                SelfMaskSeeds.Add(owner, secret);
                continue;
            }
            AgreementKeyPair keyPair = AgreementKeyPair.FromPrivateKey(secret.Span);
            secret.Dispose();
            if (!keyPair.PublicKey.SequenceEqual(context.Keys[owner].MaskPublicKey))
            {
                keyPair.Dispose();
                return (owner, $"the reconstructed mask key of client {owner} does not match its advertised public key");
            }
            DroppedMaskKeys.Add(owner, keyPair);
        }
        return null;
    }

    public void Dispose()
    {
        foreach (SecretBuffer s in SelfMaskSeeds.Values)
        {
            s.Dispose();
        }
        foreach (AgreementKeyPair k in DroppedMaskKeys.Values)
        {
            k.Dispose();
        }
    }
}
