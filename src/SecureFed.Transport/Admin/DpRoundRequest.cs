using SecureFed.Privacy.Pipeline;

namespace SecureFed.Transport.Admin;

/// <summary>
/// Distributed DP of <c>POST /admin/v1/rounds</c> (protocol-spec/dp.md section 8): each client adds its share of exact
/// integer noise to its clipped float update. Needs <see cref="OpenRoundRequest.Float"/> (its Length and ClipNorm are
/// the plan's dimension and clip; its Bits and MinimumScale must be absent, its MaxWeight 1) and a privacy budget set
/// for the federation. Give <see cref="NoiseMultiplier"/>, <see cref="TargetEpsilon"/> or both.
/// </summary>
public sealed class DpRoundRequest
{
    /// <summary>The noise: discrete Gaussian (0, the default) or Skellam (1).</summary>
    public DpMechanism Mechanism { get; set; } = DpMechanism.DiscreteGaussian;

    /// <summary>z: the summed noise of the minimum survivors has standard deviation z x ClipNorm per coordinate.</summary>
    public double? NoiseMultiplier { get; set; }

    /// <summary>Epsilon that <see cref="Rounds"/> rounds with only the minimum survivors may spend (the planner finds z).</summary>
    public double? TargetEpsilon { get; set; }

    /// <summary>Delta of the guarantee, in (0, 1); null for the federation budget's delta.</summary>
    public double? Delta { get; set; }

    /// <summary>Bits per coordinate, or null to choose.</summary>
    public int? Bits { get; set; }

    /// <summary>Fewest survivors the noise is sized for; null for the round's Shamir threshold (never above it).</summary>
    public int? MinimumSurvivors { get; set; }

    /// <summary>Rounds that <see cref="TargetEpsilon"/> covers.</summary>
    public int Rounds { get; set; } = 1;
}
