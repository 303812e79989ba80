using MessagePack;
using SecureFed.Privacy.Rounds;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Updates;
using SecureFed.Protocol.Configuration;

namespace SecureFed.HeProtocol.Configuration;

/// <summary>
/// Everything the parties of one HE round agree on before H0, exactly as hashed into the configuration hash
/// (protocol-spec/he.md, "Round protocol"). A plain wire record: validate it with
/// <see cref="HeRoundParameters.Create"/> before use. Keys 16 and 17 are optional and omitted when nil (an integer
/// round's configuration is the 16-element array it always was).
/// </summary>
[MessagePackObject]
[MessagePackFormatter(typeof(HeRoundConfigurationFormatter))]
public sealed class HeRoundConfiguration
{
    /// <summary>Protocol version; must be 1.</summary>
    [Key(0)]
    public int Version { get; set; } = 1;

    /// <summary>16 random bytes naming the round.</summary>
    [Key(1)]
    public byte[] RoundId { get; set; } = [];

    /// <summary>Enrolled clients (ascending ids); every one may upload.</summary>
    [Key(2)]
    public RosterEntry[] Roster { get; set; } = [];

    /// <summary>Client ids of the decryptors; decryptor index i (its Shamir point) is position i - 1.</summary>
    [Key(3)]
    public uint[] Decryptors { get; set; } = [];

    /// <summary>Decryption shares needed (t of t-out-of-D).</summary>
    [Key(4)]
    public int Threshold { get; set; }

    /// <summary>Values per client update.</summary>
    [Key(5)]
    public int VectorLength { get; set; }

    /// <summary>Bits of one value; sums are exact mod 2^Bits.</summary>
    [Key(6)]
    public int Bits { get; set; } = 32;

    /// <summary>Consecutive values an input may take (AggregationOptions.InputRange).</summary>
    [Key(7)]
    public ulong InputRange { get; set; }

    /// <summary>Lane offset (AggregationOptions.InputOffset).</summary>
    [Key(8)]
    public ulong InputOffset { get; set; }

    /// <summary>Values per plaintext coefficient (AggregationOptions.Lanes; 0 = the smallest upload's).</summary>
    [Key(9)]
    public int Lanes { get; set; }

    /// <summary>Bodies per ciphertext (AggregationOptions.Bodies; 0 = the smallest upload's).</summary>
    [Key(10)]
    public int Bodies { get; set; }

    /// <summary>Statistical flooding parameter lambda (AggregationOptions.FloodingBits).</summary>
    [Key(11)]
    public int FloodingBits { get; set; } = 40;

    /// <summary>Ring degree, 0 = smallest secure one.</summary>
    [Key(12)]
    public int Degree { get; set; }

    /// <summary>Decryption requests each decryptor answers (AggregationOptions.MaxDecryptionAttempts).</summary>
    [Key(13)]
    public int MaxDecryptionAttempts { get; set; } = 2;

    /// <summary>Fewest uploads an aggregate must contain for a decryptor to decrypt it.</summary>
    [Key(14)]
    public int MinimumClients { get; set; }

    /// <summary>Clip range of the fixed-point quantizer clients apply to real-valued updates (0: inputs arrive quantized).</summary>
    [Key(15)]
    public double ClipRange { get; set; }

    /// <summary>Float rounds without DP: the float encoding (secagg.md 10a, he.md 10.1), bound into the configuration hash; null otherwise.</summary>
    [Key(16)]
    public FloatEncodingConfiguration? FloatEncoding { get; set; }

    /// <summary>DP rounds: the distributed-DP plan (dp.md 8), bound into the configuration hash; null otherwise.</summary>
    [Key(17)]
    public DpRoundConfiguration? Dp { get; set; }
}

/// <summary>The canonical HeRoundConfiguration: keys 16 and 17 left out while nil.</summary>
internal sealed class HeRoundConfigurationFormatter : TrailingOptionalFormatter<HeRoundConfiguration>
{
    protected override int OmittedTrailingNils(HeRoundConfiguration value) => value.Dp is not null ? 0 : value.FloatEncoding is not null ? 1 : 2;
}
