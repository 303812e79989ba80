using System.Globalization;

namespace SecureFed.Privacy.Ledger;

/// <summary>Opening a DP round would exceed the federation's privacy budget; <see cref="Refusal"/> has the figures.</summary>
public sealed class PrivacyBudgetExhaustedException : InvalidOperationException
{
    /// <summary>Creates the exception from a refusal.</summary>
    public PrivacyBudgetExhaustedException(PrivacyBudgetRefusal refusal)
        : base(Describe(refusal))
    {
        Refusal = refusal;
    }

    /// <summary>Spent, reserved, requested and remaining epsilon.</summary>
    public PrivacyBudgetRefusal Refusal { get; }

    private static string Describe(PrivacyBudgetRefusal r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return string.Create(CultureInfo.InvariantCulture,
            $"privacy budget exhausted: spent {r.SpentEpsilon:G6} (+{r.ReservedEpsilon:G6} reserved by open rounds), this round requests up to {r.RequestedEpsilon:G6}, remaining {r.RemainingEpsilon:G6} of {r.BudgetEpsilon:G6} at delta {r.Delta:G3}");
    }
}
