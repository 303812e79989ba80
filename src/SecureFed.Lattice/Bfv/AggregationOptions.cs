namespace SecureFed.Lattice.Bfv;

/// <summary>What an encrypted aggregation must support; <see cref="AggregationPlan.Create"/> turns it into parameters.</summary>
public sealed record AggregationOptions
{
    /// <summary>Largest number of client ciphertexts summed.</summary>
    public int Clients { get; init; }

    /// <summary>
    /// How many consecutive values an input can take: [0, InputRange) or, two's-complement mod t, [-M, M] with
    /// InputRange = 2M + 1. Clients * (InputRange - 1) must stay below t so the sum mod t is unambiguous.
    /// </summary>
    public ulong InputRange { get; init; }

    /// <summary>Bits of one value: sums are exact mod 2^Bits (16..64). With one lane it is also log2 t (<see cref="BfvParameters.PlaintextBits"/>).</summary>
    public int Bits { get; init; } = 32;

    /// <summary>
    /// Values packed per plaintext coefficient (1 = t is 2^Bits, the plain coefficient encoding). With
    /// L &gt; 1, t = 2^(L * Bits) &lt;= 2^64 and each value sits in its own Bits-wide lane; lanes
    /// never carry because inputs are shifted by <see cref="InputOffset"/> into [0, InputRange) and
    /// Clients * (InputRange - 1) &lt; 2^Bits. Fewer ciphertexts per value at the cost of a larger q.
    /// 0 (the default) lets <see cref="AggregationPlan.Create"/> pick the layout of the smallest upload.
    /// </summary>
    public int Lanes { get; init; }

    /// <summary>
    /// Independent secrets in the collective key (1..16). With B &gt; 1 the public key has B components b_i sharing
    /// one a, and each ciphertext B bodies sharing one mask: B*N*Lanes values for (B + 1) polynomials instead of
    /// 2 (the "shared-c1 multi-secret" key). Key generation and key shares cost B times more; decryption costs the
    /// same per value. 0 (the default) lets <see cref="AggregationPlan.Create"/> pick it, up to
    /// <see cref="AggregationPlan.MaxAutoBodies"/>, for the smallest upload.
    /// </summary>
    public int Bodies { get; init; }

    /// <summary>Added (mod 2^Bits) to every input before lane packing, e.g. R for two's-complement [-R, R].</summary>
    public ulong InputOffset { get; init; }

    /// <summary>Parties whose key shares make up the collective key (D).</summary>
    public int Decryptors { get; init; } = 1;

    /// <summary>Decryption shares needed (t of the t-out-of-D threshold; 0 = all D must take part).</summary>
    public int Threshold { get; init; }

    /// <summary>
    /// Statistical hiding of the aggregate's noise by each decryption share's flooding noise: 2^-FloodingBits per
    /// coefficient (smudging lemma). 40 by default; 0 only for single-key tests.
    /// </summary>
    public int FloodingBits { get; init; } = 40;

    /// <summary>
    /// Decryption requests one decryptor answers per round (1..8), each for a different participant set and all for
    /// the identical aggregate, so the aggregator can retry with another set when a participant does not answer.
    /// k shares of one ciphertext under independent flooding multiply the smudging distance by at most k
    /// (protocol-spec/he.md, "Retry"); 2 allows one retry at a cost of one bit of the FloodingBits margin.
    /// </summary>
    public int MaxDecryptionAttempts { get; init; } = 2;

    /// <summary>Ring degree to use, or 0 to pick the one of the smallest upload (the smallest secure one that fits).</summary>
    public int Degree { get; init; }

    /// <summary>
    /// Values per client update, when known: automatic layouts then minimise the exact upload bytes (block padding
    /// included); 0 minimises the upload bits per value instead.
    /// </summary>
    public int VectorLength { get; init; }
}
