using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Ring;

namespace SecureFed.Lattice.Multiparty;

/// <summary>
/// The aggregator's combination step: x = c0 + sum_j d_j = Delta*m + noise + flooding, then round(t*x/q) mod t.
/// It needs exactly one share from each decryptor of the participant set; it never holds key material.
/// </summary>
public static class CollectiveDecryption
{
    /// <summary>Decrypts the aggregate (its blocks and their bodies, in order) into blocks*bodies*N plaintext coefficients.</summary>
    /// <exception cref="ArgumentException">Shares are missing, duplicated, for another round or set, or misshaped.</exception>
    public static ulong[] Combine(AggregationPlan plan, IReadOnlyList<Ciphertext> aggregate, long round, IReadOnlyCollection<DecryptionShare> shares)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(aggregate);
        ArgumentNullException.ThrowIfNull(shares);
        var p = plan.Parameters;
        int n = p.Degree;
        int level = plan.UploadLevel;
        if (shares.Count != plan.Shares)
        {
            throw new ArgumentException($"need exactly {plan.Shares} decryption shares, got {shares.Count}", nameof(shares));
        }
        var set = shares.First().Participants.Order().ToArray();
        var parties = new HashSet<int>();
        foreach (var s in shares)
        {
            if (s.Round != round || !s.Participants.Order().SequenceEqual(set) || !parties.Add(s.Party) || s.PolynomialCount != aggregate.Count * plan.Options.Bodies
                || s.Blocks.Any(x => x is null || x.Length != level * n))
            {
                throw new ArgumentException($"share of party {s.Party} is for another round, set or shape, or duplicated", nameof(shares));
            }
        }
        if (!parties.SetEquals(set))
        {
            throw new ArgumentException("shares do not come from exactly the participant set", nameof(shares));
        }
        int bodies = plan.Options.Bodies;
        for (int b = 0; b < aggregate.Count; b++)
        {
            var ct = aggregate[b];
            if (ct.Level != level || ct.BodyCount != bodies)
            {
                throw new ArgumentException($"aggregate block {b} has level {ct.Level} and {ct.BodyCount} bodies, expected {level} and {bodies}", nameof(aggregate));
            }
        }
        var result = new ulong[aggregate.Count * bodies * n];
        // Blocks are independent: one scratch polynomial per block, blocks in parallel.
        Parallel.For(0, aggregate.Count, b =>
        {
            var ct = aggregate[b];
            var x = new ulong[level * n];
            for (int k = 0; k < bodies; k++)
            {
                ct.Bodies[k].AsSpan(0, level * n).CopyTo(x);
                foreach (var s in shares)
                {
                    for (int i = 0; i < level; i++)
                    {
                        PolyArith.AddInPlace(x.AsSpan(i * n, n), s.Blocks[b * bodies + k].AsSpan(i * n, n), p.Ring.Moduli[i].Value);
                    }
                }
                PlaintextCodec.Decode(p, x, level, result.AsSpan((b * bodies + k) * n, n));
            }
        });
        return result;
    }

    /// <summary>
    /// Decrypts the sum of <paramref name="contributors"/> uploads and unpacks it into <paramref name="length"/>
    /// values mod 2^bits (removing the lanes' input offsets).
    /// </summary>
    public static ulong[] CombineValues(AggregationPlan plan, IReadOnlyList<Ciphertext> aggregate, long round, IReadOnlyCollection<DecryptionShare> shares, int length, int contributors) =>
        LanePacking.Unpack(plan, Combine(plan, aggregate, round, shares), length, contributors);
}
