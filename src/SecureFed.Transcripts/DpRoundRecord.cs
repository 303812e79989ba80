using MessagePack;
using SecureFed.Privacy.Pipeline;

namespace SecureFed.Transcripts;

/// <summary>
/// The distributed-DP plan of a round as recorded in the header: every input of
/// <see cref="DistributedDpPlan.Create"/>, so a verifier rebuilds the plan and recomputes epsilon with the accountant.
/// </summary>
[MessagePackObject]
public sealed class DpRoundRecord
{
    /// <summary>0 = discrete Gaussian, 1 = Skellam (<see cref="DpMechanism"/>).</summary>
    [Key(0)]
    public int Mechanism { get; set; }

    /// <summary>Model dimension before padding.</summary>
    [Key(1)]
    public int Dimension { get; set; }

    /// <summary>L2 clip norm.</summary>
    [Key(2)]
    public double ClipNorm { get; set; }

    /// <summary>Quantization scale.</summary>
    [Key(3)]
    public double Scale { get; set; }

    /// <summary>Modulus bits.</summary>
    [Key(4)]
    public int Bits { get; set; }

    /// <summary>Per-client noise variance numerator.</summary>
    [Key(5)]
    public ulong NoiseVarianceNumerator { get; set; }

    /// <summary>Per-client noise variance denominator.</summary>
    [Key(6)]
    public ulong NoiseVarianceDenominator { get; set; }

    /// <summary>Clients expected per round.</summary>
    [Key(7)]
    public int ExpectedClients { get; set; }

    /// <summary>Fewest survivors the plan was made for.</summary>
    [Key(8)]
    public int MinimumSurvivors { get; set; }

    /// <summary>DP delta.</summary>
    [Key(9)]
    public double Delta { get; set; }

    /// <summary>Conditional-rounding beta.</summary>
    [Key(10)]
    public double RoundingBeta { get; set; }

    /// <summary>Rounds the plan budgets for.</summary>
    [Key(11)]
    public int Rounds { get; set; }

    /// <summary>Client sampling rate.</summary>
    [Key(12)]
    public double SamplingRate { get; set; }

    /// <summary>The epsilon the operator asked for.</summary>
    [Key(13)]
    public double TargetEpsilon { get; set; }

    /// <summary>Copies a plan's parameters.</summary>
    public static DpRoundRecord From(DistributedDpPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new DpRoundRecord
        {
            Mechanism = (int)plan.Mechanism, Dimension = plan.Dimension, ClipNorm = plan.ClipNorm, Scale = plan.Scale, Bits = plan.Bits,
            NoiseVarianceNumerator = plan.NoiseVarianceNumerator, NoiseVarianceDenominator = plan.NoiseVarianceDenominator,
            ExpectedClients = plan.ExpectedClients, MinimumSurvivors = plan.MinimumSurvivors, Delta = plan.Delta,
            RoundingBeta = plan.RoundingBeta, Rounds = plan.Rounds, SamplingRate = plan.SamplingRate, TargetEpsilon = plan.TargetEpsilon,
        };
    }

    /// <summary>Rebuilds the plan (validating every field).</summary>
    /// <exception cref="ArgumentException">A recorded parameter is out of range.</exception>
    public DistributedDpPlan ToPlan() => DistributedDpPlan.Create(
        (DpMechanism)Mechanism, Dimension, ClipNorm, Scale, Bits, NoiseVarianceNumerator, NoiseVarianceDenominator,
        ExpectedClients, MinimumSurvivors, Delta, RoundingBeta, Rounds, SamplingRate, TargetEpsilon);
}
