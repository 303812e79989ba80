using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Rounds;

/// <summary>
/// The operator's privacy-budget endpoints' seam (<c>PUT .../privacy-budget</c>, <c>GET .../privacy-ledger</c>): the
/// single node keeps its federations' ledgers in SQLite (<see cref="PrivacyLedgers"/>), the cluster in PostgreSQL. Both
/// apply <see cref="PrivacyBudgetRules"/>; an answer returns only after the change is durable.
/// </summary>
internal interface IPrivacyBudgets
{
    /// <summary>Sets the federation's first budget or raises its epsilon (recorded with its actor); the ledger after it.</summary>
    /// <exception cref="Http.AggregatorProblemException">400 invalid-configuration naming Epsilon or Delta.</exception>
    Task<PrivacyLedgerView> SetBudgetAsync(string federation, PrivacyBudgetRequest request, CancellationToken ct);

    /// <summary>The operator's view of the federation's ledger.</summary>
    /// <exception cref="Http.AggregatorProblemException">404 privacy-budget-unset.</exception>
    Task<PrivacyLedgerView> ViewAsync(string federation, CancellationToken ct);
}
