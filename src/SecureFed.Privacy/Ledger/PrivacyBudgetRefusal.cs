namespace SecureFed.Privacy.Ledger;

/// <summary>
/// Why a DP round may not open: its worst-case spend would take the federation over budget. All figures are
/// epsilons at the budget's delta, composed in RDP.
/// </summary>
/// <param name="SpentEpsilon">Spent by the rounds already recorded.</param>
/// <param name="ReservedEpsilon">Added by the worst cases of rounds opened but not yet recorded.</param>
/// <param name="RequestedEpsilon">Added by this round's worst case (only its minimum survivors).</param>
/// <param name="RemainingEpsilon">Budget minus spent and reserved (at least 0).</param>
/// <param name="BudgetEpsilon">The federation's epsilon budget.</param>
/// <param name="Delta">The budget's delta.</param>
public sealed record PrivacyBudgetRefusal(
    double SpentEpsilon, double ReservedEpsilon, double RequestedEpsilon, double RemainingEpsilon, double BudgetEpsilon, double Delta);
