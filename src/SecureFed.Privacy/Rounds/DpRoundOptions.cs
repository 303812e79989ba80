using SecureFed.Privacy.Pipeline;

namespace SecureFed.Privacy.Rounds;

/// <summary>
/// What a round asks of distributed DP; <see cref="DpRoundParameters.Create(DpRoundOptions)"/> validates it and turns
/// it into an explicit plan. Give <see cref="NoiseMultiplier"/>, <see cref="TargetEpsilon"/>, or both (then the
/// multiplier must reach the target).
/// </summary>
public sealed record DpRoundOptions
{
    /// <summary>The noise each client adds.</summary>
    public DpMechanism Mechanism { get; init; } = DpMechanism.DiscreteGaussian;

    /// <summary>L2 clip norm c of each update (positive, finite).</summary>
    public double ClipNorm { get; init; }

    /// <summary>
    /// z: the noise of <see cref="MinimumSurvivors"/> clients' shares together has standard deviation z x c per
    /// coordinate (original units). Positive and finite, or null to derive it from <see cref="TargetEpsilon"/>.
    /// </summary>
    public double? NoiseMultiplier { get; init; }

    /// <summary>Epsilon that <see cref="Rounds"/> rounds with only the minimum survivors may spend, or null.</summary>
    public double? TargetEpsilon { get; init; }

    /// <summary>Delta of the guarantee, in (0, 1).</summary>
    public double Delta { get; init; }

    /// <summary>Coordinates per update (1 .. 2^30).</summary>
    public int Dimension { get; init; }

    /// <summary>Clients on the round's roster: the modulus is sized for all of them.</summary>
    public int RosterSize { get; init; }

    /// <summary>Fewest survivors the noise is sized for (a round must not complete with fewer); 0 means the roster size.</summary>
    public int MinimumSurvivors { get; init; }

    /// <summary>Bits per coordinate (1 .. 64), or null to choose.</summary>
    public int? Bits { get; init; }

    /// <summary>Rounds that <see cref="TargetEpsilon"/> covers (&gt;= 1).</summary>
    public int Rounds { get; init; } = 1;

    /// <summary>Poisson client-sampling rate per round, in (0, 1]; 1 means no amplification.</summary>
    public double SamplingRate { get; init; } = 1.0;
}
