namespace SecureFed.Lattice.Bfv;

/// <summary>
/// Plain input for <see cref="BfvParameters"/>: ring degree N, the bit size of each prime of the coefficient
/// modulus q (primes are the largest p = 1 mod 2N of each size, SEAL's CoeffModulus.Create rule; the first
/// primes form the upload/decryption modulus, the last ones only absorb encryption noise), and the plaintext
/// modulus t = 2^PlaintextBits.
/// </summary>
public sealed record BfvParameterOptions
{
    /// <summary>Ring degree N (power of two).</summary>
    public int Degree { get; init; }

    /// <summary>Bit size of each prime of q, in chain order.</summary>
    public IReadOnlyList<int> PrimeBits { get; init; } = [];

    /// <summary>log2 t: sums are computed mod 2^PlaintextBits (16..64).</summary>
    public int PlaintextBits { get; init; }
}
