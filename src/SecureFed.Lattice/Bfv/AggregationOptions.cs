namespace SecureFed.Lattice.Bfv;

/// <summary>What an encrypted aggregation must support; <see cref="AggregationPlan.Create"/> turns it into parameters.</summary>
public sealed record AggregationOptions
{
    /// <summary>Largest number of client ciphertexts summed.</summary>
    public int Clients { get; init; }

    /// <summary>Exclusive upper bound of each input value; Clients * (InputBound - 1) must stay below t.</summary>
    public ulong InputBound { get; init; }

    /// <summary>log2 t (16..64).</summary>
    public int PlaintextBits { get; init; } = 32;

    /// <summary>Parties whose key shares make up the collective key (D).</summary>
    public int Decryptors { get; init; } = 1;

    /// <summary>Decryption shares needed (t of the t-out-of-D threshold; 0 = all D must take part).</summary>
    public int Threshold { get; init; }

    /// <summary>
    /// Statistical hiding of the aggregate's noise by each decryption share's flooding noise: 2^-FloodingBits per
    /// coefficient (smudging lemma). 40 by default; 0 only for single-key tests.
    /// </summary>
    public int FloodingBits { get; init; } = 40;

    /// <summary>Ring degree to use, or 0 to pick the smallest secure one that fits.</summary>
    public int Degree { get; init; }
}
