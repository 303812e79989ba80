using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Runtime.ExceptionServices;
using SecureFed.Primitives.KeyAgreement;
using SecureFed.Primitives.Secrets;
using SecureFed.Primitives.Shamir;
using SecureFed.Protocol.Concurrency;

namespace SecureFed.Protocol.Server;

// The self-mask seeds of survivors and the mask keys of dropped clients, rebuilt from t shares each; wiped on dispose.
internal sealed class ReconstructedSecrets : IDisposable
{
    public Dictionary<uint, SecretBuffer> SelfMaskSeeds { get; } = [];

    public Dictionary<uint, AgreementKeyPair> DroppedMaskKeys { get; } = [];

    // Returns null on success, else the lowest owner whose secret failed and why (no secret material in the text).
    // Owners are rebuilt independently on every core (10,000 at n = 10,000 ran on one core before the parallel
    // unmasking); the outcomes are then taken in ascending owner order, so the failure (or exception) reported and the
    // secrets kept do not depend on thread timing, and secrets rebuilt past a failure are wiped.
    public (uint Owner, string Detail)? Reconstruct(ServerContext context, HashSet<uint> alive, HashSet<uint> dropped,
        Dictionary<uint, List<(uint Holder, byte[] Share)>> shares)
    {
        uint[] owners = [.. alive.Concat(dropped).Order()];
        var bases = new ConcurrentDictionary<HolderSet, LagrangeBasis>();
        var outcomes = new Outcome[owners.Length];
        BoundedParallel.For(Environment.ProcessorCount, owners.Length, i =>
        {
            try
            {
                outcomes[i] = Rebuild(context, owners[i], alive.Contains(owners[i]), shares, bases);
            }
            catch (Exception e)
            {
                outcomes[i] = new Outcome(null, null, null, e);
            }
        });
        (uint Owner, string Detail)? failure = null;
        Exception? error = null;
        for (int i = 0; i < owners.Length; i++)
        {
            Outcome o = outcomes[i];
            if (failure is null && error is null && o.Failure is null && o.Error is null)
            {
                if (o.Seed is not null)
                {
                    SelfMaskSeeds.Add(owners[i], o.Seed);
                }
                else
                {
                    DroppedMaskKeys.Add(owners[i], o.Key!);
                }
                continue;
            }
            if (failure is null && error is null)
            {
                error = o.Error;
                failure = o.Failure is null ? null : (owners[i], o.Failure);
            }
            o.Seed?.Dispose();
            o.Key?.Dispose();
        }
        if (error is not null)
        {
            ExceptionDispatchInfo.Throw(error);
        }
        return failure;
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

    // One owner's secret from its t lowest holders' shares: a survivor's self-mask seed, or a dropped client's mask key
    // checked against the public key it advertised. Thread-safe.
    private static Outcome Rebuild(ServerContext context, uint owner, bool isAlive, Dictionary<uint, List<(uint Holder, byte[] Share)>> shares,
        ConcurrentDictionary<HolderSet, LagrangeBasis> bases)
    {
        int t = context.Parameters.Threshold;
        if (!shares.TryGetValue(owner, out var list) || list.Count < t)
        {
            return Outcome.Failed($"only {list?.Count ?? 0} shares for client {owner}, fewer than t = {t}");
        }
        // The t lowest holders, found by sorting (holder, position) pairs on the stack: no LINQ or per-owner arrays but
        // the basis key, since every SecAgg+ survivor has its own holder set (9,000 sets at n = 10,000).
        int count = list.Count;
        Span<ulong> order = count <= MaxStackHolders ? stackalloc ulong[count] : new ulong[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = ((ulong)list[i].Holder << 32) | (uint)i;
        }
        order.Sort();
        uint[] holders = new uint[t];
        for (int i = 0; i < t; i++)
        {
            holders[i] = (uint)(order[i] >> 32);
        }
        LagrangeBasis basis = bases.GetOrAdd(new HolderSet(holders), static key => new LagrangeBasis(key.Holders));
        // The t shares side by side on the stack when they fit (840 bytes at k = 40), wiped after: a pinned buffer per
        // owner searched the pinned heap 10,000 times per unmasking at n = 10,000.
        int packedBytes = t * ShamirScheme.ShareSize;
        using SecretBuffer? large = packedBytes > MaxStackShares ? new SecretBuffer(packedBytes) : null;
        Span<byte> packed = large is null ? stackalloc byte[packedBytes] : large.Span;
        var secret = new SecretBuffer(ShamirScheme.SecretSize);
        try
        {
            for (int i = 0; i < t; i++)
            {
                list[(int)(uint)order[i]].Share.CopyTo(packed[(i * ShamirScheme.ShareSize)..]);
            }
            if (!ShamirScheme.TryReconstruct(basis, packed, secret.Span))
            {
                secret.Dispose();
                return Outcome.Failed($"the shares of client {owner} are inconsistent");
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(packed);
        }
        if (isAlive)
        {
            return new Outcome(secret, null, null, null);
        }
        AgreementKeyPair keyPair = AgreementKeyPair.FromPrivateKey(secret.Span);
        secret.Dispose();
        if (!keyPair.PublicKey.SequenceEqual(context.Keys[owner].MaskPublicKey))
        {
            keyPair.Dispose();
            return Outcome.Failed($"the reconstructed mask key of client {owner} does not match its advertised public key");
        }
        return new Outcome(null, keyPair, null, null);
    }

    // Packed shares up to this size go on the stack (t = 409 at 40 bytes a share).
    private const int MaxStackShares = 16 * 1024;

    // Holder lists up to this length are sorted on the stack (8 KB).
    private const int MaxStackHolders = 1024;

    // A basis cache key: the ascending holder ids, compared by value (a joined string of them was built per owner).
    private readonly struct HolderSet(uint[] holders) : IEquatable<HolderSet>
    {
        public uint[] Holders { get; } = holders;

        public bool Equals(HolderSet other) => Holders.AsSpan().SequenceEqual(other.Holders);

        public override bool Equals(object? obj) => obj is HolderSet other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(Holders.AsSpan()));
            return hash.ToHashCode();
        }
    }

    private readonly record struct Outcome(SecretBuffer? Seed, AgreementKeyPair? Key, string? Failure, Exception? Error)
    {
        public static Outcome Failed(string detail) => new(null, null, detail, null);
    }
}
