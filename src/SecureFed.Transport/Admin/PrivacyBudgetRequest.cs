namespace SecureFed.Transport.Admin;

/// <summary>
/// Body of <c>PUT /admin/v1/federations/{federation}/privacy-budget</c>: the first call sets the federation's budget,
/// later calls may only raise its epsilon (delta is fixed). Either act is recorded in the ledger with its actor.
/// </summary>
public sealed class PrivacyBudgetRequest
{
    /// <summary>The total epsilon all DP rounds of the federation may spend, positive and finite.</summary>
    public double Epsilon { get; set; }

    /// <summary>Delta of the budget, in (0, 1); must equal the current one when raising (null keeps it).</summary>
    public double? Delta { get; set; }

    /// <summary>Who acts (recorded), e.g. an operator's name; null for "admin".</summary>
    public string? Actor { get; set; }
}
