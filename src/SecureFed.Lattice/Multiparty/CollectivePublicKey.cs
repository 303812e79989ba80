using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Ring;

namespace SecureFed.Lattice.Multiparty;

/// <summary>The aggregator's only key-generation step: pk = (sum_i b_i, a). It holds no secret.</summary>
public static class CollectivePublicKey
{
    /// <summary>Sums the shares of all D decryptors (each exactly once) into the collective public key.</summary>
    /// <exception cref="ArgumentException">A share is missing, duplicated, or from an unknown party.</exception>
    public static PublicKey Combine(AggregationPlan plan, ReadOnlySpan<byte> crpSeed, IReadOnlyCollection<PublicKeyShare> shares)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(shares);
        int parties = plan.Options.Decryptors;
        var seen = new HashSet<int>();
        foreach (var s in shares)
        {
            if (s.Party < 1 || s.Party > parties || !seen.Add(s.Party))
            {
                throw new ArgumentException($"share from party {s.Party} is unknown or duplicated", nameof(shares));
            }
        }
        if (seen.Count != parties)
        {
            throw new ArgumentException($"need shares from all {parties} decryptors, got {seen.Count}", nameof(shares));
        }
        var p = plan.Parameters;
        int n = p.Degree;
        int bodies = plan.Options.Bodies;
        var b = Enumerable.Range(0, bodies).Select(_ => new ulong[p.KeyLevel * n]).ToArray();
        foreach (var s in shares)
        {
            if (s.B.Length != bodies || s.B.Any(c => c is null || c.Length != p.KeyLevel * n))
            {
                throw new ArgumentException($"share from party {s.Party} has {s.B.Length} components, expected {bodies} of {p.KeyLevel * n} residues", nameof(shares));
            }
            for (int k = 0; k < bodies; k++)
            {
                for (int i = 0; i < p.KeyLevel; i++)
                {
                    PolyArith.AddInPlace(b[k].AsSpan(i * n, n), s.B[k].AsSpan(i * n, n), p.Ring.Moduli[i].Value);
                }
            }
        }
        var a = new ulong[p.KeyLevel * n];
        SeedExpander.ExpandNtt(crpSeed, p.Ring, p.KeyLevel, a);
        return new PublicKey(p, b, a, crpSeed.ToArray());
    }
}
