using MessagePack;

namespace SecureFed.Transport;

/// <summary>
/// What <c>GET /v1/rounds/{id}</c> returns to a roster member (protocol-spec/transport.md): the exact configuration
/// bytes that are hashed into every signature, and where the round stands.
/// </summary>
[MessagePackObject]
public sealed class RoundInfo
{
    /// <summary>Transport version, 1.</summary>
    [Key(0)]
    public int Version { get; set; } = 1;

    /// <summary>The canonical MessagePack encoding of the RoundConfiguration (protocol-spec/secagg.md 2.1), or of the
    /// HeRoundConfiguration for an HE round (protocol-spec/he.md 10).</summary>
    [Key(1)]
    public byte[] Configuration { get; set; } = [];

    /// <summary>The stage collecting messages (0..4; HE: 0..3 = H0..H3), or -1 when the round is over.</summary>
    [Key(2)]
    public int Stage { get; set; }

    /// <summary>Round status: "running", "completed" or "aborted".</summary>
    [Key(3)]
    public string Status { get; set; } = "";

    /// <summary>When the current stage closes at the latest, milliseconds since the Unix epoch (0 when over).</summary>
    [Key(4)]
    public long StageDeadlineUnixMs { get; set; }

    /// <summary>"masking" or "he": which configuration <see cref="Configuration"/> holds and which flow the round runs.</summary>
    [Key(5)]
    public string Scheme { get; set; } = Schemes.Masking;

    /// <summary>HE rounds: stage closes so far (the next close a party can poll is this number).</summary>
    [Key(6)]
    public int Closes { get; set; }

    /// <summary>
    /// Reserved, always nil: the float encoding moved into the configuration (RoundConfiguration key 7,
    /// HeRoundConfiguration key 16), where the configuration hash covers it (protocol-spec/transport.md 2.0).
    /// </summary>
    [Key(7)]
    public byte[]? FloatEncoding { get; set; }

    /// <summary>
    /// Reserved, always nil: the DP plan moved into the configuration (RoundConfiguration key 8, HeRoundConfiguration
    /// key 17), where the configuration hash covers it.
    /// </summary>
    [Key(8)]
    public byte[]? Dp { get; set; }
}
