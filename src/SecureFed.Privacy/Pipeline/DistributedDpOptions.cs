using SecureFed.Privacy.Accounting;

namespace SecureFed.Privacy.Pipeline;

/// <summary>What the deployment asks of distributed DP; <see cref="DistributedDpPlanner"/> validates it and derives a plan.</summary>
public sealed record DistributedDpOptions
{
    /// <summary>Target epsilon for all <see cref="Rounds"/> together (&gt; 0).</summary>
    public double Epsilon { get; init; }

    /// <summary>Target delta (in (0, 1)).</summary>
    public double Delta { get; init; }

    /// <summary>L2 clipping norm c of each client's update (&gt; 0).</summary>
    public double ClipNorm { get; init; }

    /// <summary>Expected (maximum) number of clients per round; sizes the modulus.</summary>
    public int ExpectedClients { get; init; }

    /// <summary>
    /// Minimum number of survivors t the guarantee must hold for; noise shares are sized so that t shares alone reach
    /// the target. 0 means <see cref="ExpectedClients"/> (no dropout tolerance).
    /// </summary>
    public int MinimumSurvivors { get; init; }

    /// <summary>Length of the update vector (&gt;= 1).</summary>
    public int Dimension { get; init; }

    /// <summary>Bits per coordinate of the modular sum (1..64), or null to let the planner choose.</summary>
    public int? Bits { get; init; }

    /// <summary>The noise distribution.</summary>
    public DpMechanism Mechanism { get; init; } = DpMechanism.DiscreteGaussian;

    /// <summary>Number of rounds the epsilon budget covers (&gt;= 1).</summary>
    public int Rounds { get; init; } = 1;

    /// <summary>Poisson client-sampling rate per round, in (0, 1]; 1 means no amplification.</summary>
    public double SamplingRate { get; init; } = 1.0;

    /// <summary>Target bound on the probability that any coordinate of the sum wraps around (in (0, 1)).</summary>
    public double WrapAroundProbability { get; init; } = 1e-4;

    /// <summary>Conditional randomized rounding parameter beta in [0, 1) (Kairouz et al. use exp(-1/2)).</summary>
    public double RoundingBeta { get; init; } = DistributedDpPlan.DefaultRoundingBeta;

    /// <summary>Conversion used for the epsilon target.</summary>
    public EpsilonConversion Conversion { get; init; } = EpsilonConversion.Improved;
}
