using SecureFed.Privacy.Parameters;

namespace SecureFed.Privacy.Ledger;

/// <summary>A federation's privacy budget: the (epsilon, delta) all its DP rounds together may spend.</summary>
public sealed record PrivacyBudget
{
    private PrivacyBudget(double epsilon, double delta)
    {
        Epsilon = epsilon;
        Delta = delta;
    }

    /// <summary>Total epsilon, positive and finite.</summary>
    public double Epsilon { get; }

    /// <summary>Delta at which the composed RDP is converted to epsilon, in (0, 1).</summary>
    public double Delta { get; }

    /// <summary>Validates and creates a budget.</summary>
    /// <exception cref="ParameterOutOfRangeException">Epsilon is not positive and finite, or delta is outside (0, 1).</exception>
    public static PrivacyBudget Create(double epsilon, double delta)
    {
        ParameterOutOfRangeException.ThrowIfOutside("Epsilon", epsilon, ParameterRange.PositiveFinite);
        ParameterOutOfRangeException.ThrowIfOutside("Delta", delta, ParameterRange.OpenUnit);
        return new PrivacyBudget(epsilon, delta);
    }
}
