using System.Globalization;
using SecureFed.Aggregator.Http;
using SecureFed.Privacy.Ledger;
using SecureFed.Privacy.Parameters;
using SecureFed.Privacy.Rounds;
using SecureFed.Protocol.Configuration;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Rounds;

/// <summary>
/// The operator-facing rules of a federation's privacy ledger, shared by every host whatever its store (the single
/// node's SQLite <see cref="PrivacyLedgers"/>, the cluster's PostgreSQL ledger): how a budget request becomes a ledger
/// entry, and the typed refusals. The accounting itself is <see cref="PrivacyLedger"/>'s; the caller serialises the
/// operations of one federation and persists the returned entry.
/// </summary>
internal static class PrivacyBudgetRules
{
    /// <summary>
    /// Applies a budget request to <paramref name="ledger"/> (null: the federation has none yet) and returns the entry to
    /// persist; <paramref name="result"/> is the ledger after it (a new one for a first budget).
    /// </summary>
    /// <exception cref="AggregatorProblemException">400 invalid-configuration naming Epsilon or Delta.</exception>
    public static PrivacyLedgerEntry Apply(PrivacyLedger? ledger, PrivacyBudgetRequest request, long nowMs, out PrivacyLedger result)
    {
        ArgumentNullException.ThrowIfNull(request);
        string actor = string.IsNullOrWhiteSpace(request.Actor) ? "admin" : request.Actor.Trim();
        try
        {
            if (ledger is null)
            {
                result = PrivacyLedger.Create(PrivacyBudget.Create(request.Epsilon, request.Delta ?? double.NaN), actor, nowMs);
                return result.Entries[0];
            }
            if (request.Delta is double d && d != ledger.Budget.Delta)
            {
                throw new AggregatorProblemException(ProblemCode.InvalidConfiguration, $"Delta: a federation's delta is fixed at {Text(ledger.Budget.Delta)}")
                    .WithError(new ConfigurationError(nameof(PrivacyBudgetRequest.Delta), $"{Text(ledger.Budget.Delta)} (fixed when the budget was set)", Text(d)));
            }
            result = ledger;
            return ledger.RaiseBudget(request.Epsilon, actor, nowMs);
        }
        catch (ParameterOutOfRangeException e)
        {
            throw AggregatorProblemException.InvalidConfiguration(new ConfigurationError(e.Field,
                e.Allowed is { } range ? $"in {range} (a budget can only be raised)" : e.Message, Text(e.Value)));
        }
    }

    /// <summary>Refuses a DP round whose worst case, with <paramref name="openRounds"/>' worst cases reserved, exceeds the budget.</summary>
    /// <exception cref="AggregatorProblemException">409 privacy-budget-unset or privacy-budget-exhausted (with the figures).</exception>
    public static void EnsureCanOpen(string federation, PrivacyLedger? ledger, DpRoundParameters round, IEnumerable<DpRoundParameters> openRounds)
    {
        if (ledger is null)
        {
            throw Unset(federation);
        }
        if (ledger.Check(round, openRounds) is { } refusal)
        {
            throw new AggregatorProblemException(ProblemCode.PrivacyBudgetExhausted, new PrivacyBudgetExhaustedException(refusal).Message)
                .WithExtensions(new Dictionary<string, object?>
                {
                    ["spentEpsilon"] = refusal.SpentEpsilon,
                    ["reservedEpsilon"] = refusal.ReservedEpsilon,
                    ["requestedEpsilon"] = refusal.RequestedEpsilon,
                    ["remainingEpsilon"] = refusal.RemainingEpsilon,
                    ["budgetEpsilon"] = refusal.BudgetEpsilon,
                    ["delta"] = refusal.Delta,
                });
        }
    }

    /// <summary>The operator's view of the federation's ledger.</summary>
    /// <exception cref="AggregatorProblemException">404 privacy-budget-unset when the federation has none.</exception>
    public static PrivacyLedgerView View(string federation, PrivacyLedger? ledger) =>
        PrivacyLedgerViews.Describe(federation, ledger ?? throw Unset(federation, status: 404));

    /// <summary>The federation has no budget (409 by default: a DP round cannot open).</summary>
    public static AggregatorProblemException Unset(string federation, int? status = null) =>
        new(ProblemCode.PrivacyBudgetUnset, $"federation '{federation}' has no privacy budget; set one with PUT /admin/v1/federations/{federation}/privacy-budget", status);

    private static string Text(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
