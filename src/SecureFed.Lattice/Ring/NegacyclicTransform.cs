namespace SecureFed.Lattice.Ring;

/// <summary>
/// The negacyclic NTT modulo one NTT-friendly prime, for callers outside the library (benchmarks, tools):
/// <see cref="Forward"/> maps coefficients in [0, p) to evaluations at the odd powers of psi (bit-reversed
/// order), <see cref="Inverse"/> maps them back; pointwise products of transforms are products in
/// Z_p[X]/(X^N + 1).
/// </summary>
public sealed class NegacyclicTransform
{
    private readonly NttTables _tables;

    /// <summary>Prepares the tables for prime <paramref name="prime"/> and degree <paramref name="degree"/>.</summary>
    /// <exception cref="ArgumentException">The prime is not = 1 mod 2N or not prime.</exception>
    public NegacyclicTransform(ulong prime, int degree) => _tables = new NttTables(new Modulus(prime), degree);

    /// <summary>Ring degree N.</summary>
    public int Degree => _tables.Degree;

    /// <summary>The primitive 2N-th root of unity used (the smallest one).</summary>
    public ulong Psi => _tables.Psi;

    /// <summary>In-place forward transform of N values in [0, p).</summary>
    public void Forward(Span<ulong> values) => Ntt.Forward(values, _tables);

    /// <summary>In-place inverse transform of N values in [0, p).</summary>
    public void Inverse(Span<ulong> values) => Ntt.Inverse(values, _tables);
}
