using MessagePack;
using SecureFed.Privacy.Rounds;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Updates;

namespace SecureFed.Protocol.Configuration;

/// <summary>
/// The round configuration every party agrees on before R0, exactly as hashed into the session id
/// (protocol-spec/secagg.md, "RoundConfiguration"). A plain wire record: validate it with
/// <see cref="RoundParameters.Create(RoundConfiguration)"/> before use. Keys 7 and 8 are optional and omitted when nil
/// (an integer round's configuration is the 7-element array it always was).
/// </summary>
[MessagePackObject]
[MessagePackFormatter(typeof(RoundConfigurationFormatter))]
public sealed class RoundConfiguration
{
    /// <summary>The protocol version this library speaks.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Protocol version; must be 1.</summary>
    [Key(0)]
    public int Version { get; set; } = CurrentVersion;

    /// <summary>16 random bytes naming the round (replay protection across rounds).</summary>
    [Key(1)]
    public byte[] RoundId { get; set; } = [];

    /// <summary>The vectors aggregated in this round (one key setup for all).</summary>
    [Key(2)]
    public VectorSpec[] Vectors { get; set; } = [];

    /// <summary>Shamir threshold t: shares needed to reconstruct a seed or key; also the minimum survivors.</summary>
    [Key(3)]
    public int Threshold { get; set; }

    /// <summary>The neighbour graph.</summary>
    [Key(4)]
    public GraphKind Graph { get; set; } = GraphKind.Complete;

    /// <summary>Enrolled clients, ascending ids.</summary>
    [Key(5)]
    public RosterEntry[] Roster { get; set; } = [];

    /// <summary>Degree k of the Harary graph (even, 2 &lt;= k &lt; clients); 0 for the complete graph.</summary>
    [Key(6)]
    public int GraphDegree { get; set; }

    /// <summary>Float rounds without DP: the float encoding (secagg.md 10a), bound into the configuration hash; null otherwise.</summary>
    [Key(7)]
    public FloatEncodingConfiguration? FloatEncoding { get; set; }

    /// <summary>DP rounds: the distributed-DP plan (dp.md 8), bound into the configuration hash; null otherwise.</summary>
    [Key(8)]
    public DpRoundConfiguration? Dp { get; set; }
}

/// <summary>The canonical RoundConfiguration: keys 7 and 8 left out while nil.</summary>
internal sealed class RoundConfigurationFormatter : TrailingOptionalFormatter<RoundConfiguration>
{
    protected override int OmittedTrailingNils(RoundConfiguration value) => value.Dp is not null ? 0 : value.FloatEncoding is not null ? 1 : 2;
}
