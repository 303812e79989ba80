using MessagePack;
using SecureFed.Privacy.Pipeline;

namespace SecureFed.Privacy.Rounds;

/// <summary>
/// The explicit distributed-DP plan of a round as it travels and is stored (protocol-spec/dp.md, "Round
/// configuration"): a MessagePack array with integer keys. Clients rebuild the plan from it without re-running the
/// planner. Validate with <see cref="DpRoundParameters.Create(DpRoundConfiguration)"/>.
/// </summary>
[MessagePackObject]
public sealed class DpRoundConfiguration
{
    /// <summary>The version this library speaks.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Format version; must be 1.</summary>
    [Key(0)]
    public int Version { get; set; } = CurrentVersion;

    /// <summary>0 = distributed discrete Gaussian, 1 = Skellam.</summary>
    [Key(1)]
    public DpMechanism Mechanism { get; set; }

    /// <summary>Update length d0.</summary>
    [Key(2)]
    public int Dimension { get; set; }

    /// <summary>L2 clip norm c (float64).</summary>
    [Key(3)]
    public double ClipNorm { get; set; }

    /// <summary>Scale gamma (float64): one integer unit in original units.</summary>
    [Key(4)]
    public double Scale { get; set; }

    /// <summary>Bits per coordinate.</summary>
    [Key(5)]
    public int Bits { get; set; }

    /// <summary>Per-client noise variance numerator (integer units).</summary>
    [Key(6)]
    public ulong NoiseVarianceNumerator { get; set; }

    /// <summary>Per-client noise variance denominator.</summary>
    [Key(7)]
    public ulong NoiseVarianceDenominator { get; set; }

    /// <summary>Roster size n the modulus is sized for.</summary>
    [Key(8)]
    public int ExpectedClients { get; set; }

    /// <summary>Survivors t the noise is sized for.</summary>
    [Key(9)]
    public int MinimumSurvivors { get; set; }

    /// <summary>Delta (float64).</summary>
    [Key(10)]
    public double Delta { get; set; }

    /// <summary>Conditional rounding beta (float64).</summary>
    [Key(11)]
    public double RoundingBeta { get; set; }

    /// <summary>Rounds the planned epsilon covers.</summary>
    [Key(12)]
    public int Rounds { get; set; }

    /// <summary>Client-sampling rate (float64).</summary>
    [Key(13)]
    public double SamplingRate { get; set; }

    /// <summary>The target epsilon the plan was made for (float64), NaN when it was made from a noise multiplier.</summary>
    [Key(14)]
    public double TargetEpsilon { get; set; }
}
