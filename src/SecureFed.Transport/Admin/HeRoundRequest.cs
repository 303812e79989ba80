namespace SecureFed.Transport.Admin;

/// <summary>
/// The HE settings of <c>POST /admin/v1/rounds</c> with <c>"scheme": "he"</c> (protocol-spec/transport.md, he.md 10):
/// the service turns them, the round id and the federation's roster into the HeRoundConfiguration it validates.
/// </summary>
public sealed class HeRoundRequest
{
    /// <summary>Client ids of the decryptors (enrolled, unrevoked members of the federation), in Shamir index order.</summary>
    public List<uint> Decryptors { get; set; } = [];

    /// <summary>Decryption shares needed, t of t-out-of-D; null for a strict majority of the decryptors.</summary>
    public int? Threshold { get; set; }

    /// <summary>Values per client update.</summary>
    public int VectorLength { get; set; }

    /// <summary>Bits of one value: sums are exact mod 2^Bits (16..64).</summary>
    public int Bits { get; set; } = 32;

    /// <summary>Consecutive values an input may take; null for the largest range the roster size allows without overflow.</summary>
    public ulong? InputRange { get; set; }

    /// <summary>Lane offset added to every input (two's-complement inputs).</summary>
    public ulong InputOffset { get; set; }

    /// <summary>Values per plaintext coefficient; 0 (default) picks the layout of the smallest upload.</summary>
    public int Lanes { get; set; }

    /// <summary>Bodies per ciphertext (shared-mask multi-secret key); 0 (default) picks the smallest upload's.</summary>
    public int Bodies { get; set; }

    /// <summary>Statistical flooding parameter lambda.</summary>
    public int FloodingBits { get; set; } = 40;

    /// <summary>Ring degree, 0 for the smallest secure one.</summary>
    public int Degree { get; set; }

    /// <summary>Decryption attempts allowed (a retry asks another decryptor set).</summary>
    public int MaxDecryptionAttempts { get; set; } = 2;

    /// <summary>Fewest uploads the aggregate must hold; null for the round's MinimumClients (<c>minClients</c>), else 1.</summary>
    public int? MinimumClients { get; set; }

    /// <summary>Clip range of the fixed-point quantizer for real-valued updates (0: clients send quantized values).</summary>
    public double ClipRange { get; set; }
}
