using System.Collections.Concurrent;

namespace SecureFed.Lattice.Ring;

/// <summary>
/// The ring Z_q[X]/(X^N + 1) with q a product of NTT-friendly primes, in residue-number-system form: a polynomial
/// at level k is a flat array of k*N residues, prime-major (all N coefficients mod p_0, then mod p_1, ...).
/// </summary>
internal sealed class RnsRing
{
    private static readonly ConcurrentDictionary<(ulong, int), NttTables> TableCache = new();

    public RnsRing(int degree, IReadOnlyList<ulong> primes)
    {
        Degree = degree;
        Moduli = primes.Select(p => new Modulus(p)).ToArray();
        Tables = Moduli.Select(m => TableCache.GetOrAdd((m.Value, degree), key => new NttTables(new Modulus(key.Item1), key.Item2))).ToArray();
    }

    public int Degree { get; }

    public Modulus[] Moduli { get; }

    public NttTables[] Tables { get; }

    public int Count => Moduli.Length;

    public Span<ulong> Component(Span<ulong> poly, int prime) => poly.Slice(prime * Degree, Degree);

    public void ForwardNtt(Span<ulong> poly, int level)
    {
        for (int i = 0; i < level; i++)
        {
            Ntt.Forward(Component(poly, i), Tables[i]);
        }
    }

    public void InverseNtt(Span<ulong> poly, int level)
    {
        for (int i = 0; i < level; i++)
        {
            Ntt.Inverse(Component(poly, i), Tables[i]);
        }
    }

    /// <summary>Writes small signed coefficients (|v| &lt; p) as residues for the first <paramref name="level"/> primes.</summary>
    public void FromSigned(ReadOnlySpan<sbyte> small, Span<ulong> poly, int level)
    {
        int n = Degree;
        for (int i = 0; i < level; i++)
        {
            ulong p = Moduli[i].Value;
            Span<ulong> dst = poly.Slice(i * n, n);
            for (int j = 0; j < n; j++)
            {
                long v = small[j];
                dst[j] = (ulong)v + (p & (ulong)(v >> 63));
            }
        }
    }

    /// <summary>Adds small signed coefficients to a polynomial in coefficient form.</summary>
    public void AddSigned(Span<ulong> poly, ReadOnlySpan<sbyte> small, int level)
    {
        int n = Degree;
        for (int i = 0; i < level; i++)
        {
            ulong p = Moduli[i].Value;
            Span<ulong> dst = poly.Slice(i * n, n);
            for (int j = 0; j < n; j++)
            {
                long v = small[j];
                dst[j] = ModArith.Add(dst[j], (ulong)v + (p & (ulong)(v >> 63)), p);
            }
        }
    }
}
