using System.Globalization;
using SecureFed.Aggregator.Http;
using SecureFed.Aggregator.Storage;
using SecureFed.Privacy.Ledger;
using SecureFed.Privacy.Parameters;
using SecureFed.Privacy.Rounds;
using SecureFed.Protocol.Configuration;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Rounds;

/// <summary>
/// The federations' privacy ledgers in memory, each rebuilt (and checked) from its stored entries with
/// <see cref="PrivacyLedger.Replay"/> on first use. Every operation runs under <see cref="Gate"/>: the coordinator holds
/// it across a DP round's budget check and its insert, and across a charge and the transaction that stores it, so
/// concurrent opens cannot overspend together and memory never runs ahead of the disk.
/// </summary>
internal sealed class PrivacyLedgers(PrivacyLedgerStore store, TimeProvider time)
{
    private readonly Dictionary<string, PrivacyLedger?> _byFederation = new(StringComparer.Ordinal);

    public Lock Gate { get; } = new();

    /// <summary>The federation's ledger, or null when no budget was ever set.</summary>
    /// <exception cref="InvalidDataException">The stored ledger does not replay (it was tampered with or is corrupt).</exception>
    public PrivacyLedger? Find(string federation)
    {
        lock (Gate)
        {
            if (!_byFederation.TryGetValue(federation, out PrivacyLedger? ledger))
            {
                List<PrivacyLedgerEntry> entries = store.Load(federation);
                ledger = entries.Count == 0 ? null : PrivacyLedger.Replay(entries);
                _byFederation[federation] = ledger;
            }
            return ledger;
        }
    }

    /// <summary>Sets the federation's first budget, or raises its epsilon; the act is recorded with its actor.</summary>
    /// <exception cref="AggregatorProblemException">400 invalid-configuration naming Epsilon or Delta.</exception>
    public PrivacyLedger SetBudget(string federation, PrivacyBudgetRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string actor = string.IsNullOrWhiteSpace(request.Actor) ? "admin" : request.Actor.Trim();
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        lock (Gate)
        {
            PrivacyLedger? ledger = Find(federation);
            try
            {
                if (ledger is null)
                {
                    ledger = PrivacyLedger.Create(PrivacyBudget.Create(request.Epsilon, request.Delta ?? double.NaN), actor, now);
                    store.Append(federation, ledger.Entries[0]);
                    _byFederation[federation] = ledger;
                    return ledger;
                }
                if (request.Delta is double d && d != ledger.Budget.Delta)
                {
                    throw new AggregatorProblemException(ProblemCode.InvalidConfiguration, $"Delta: a federation's delta is fixed at {Text(ledger.Budget.Delta)}")
                        .WithError(new ConfigurationError(nameof(PrivacyBudgetRequest.Delta), $"{Text(ledger.Budget.Delta)} (fixed when the budget was set)", Text(d)));
                }
                PrivacyLedgerEntry raise = ledger.RaiseBudget(request.Epsilon, actor, now);
                Persist(federation, () => store.Append(federation, raise));
                return ledger;
            }
            catch (ParameterOutOfRangeException e)
            {
                throw AggregatorProblemException.InvalidConfiguration(new ConfigurationError(e.Field,
                    e.Allowed is { } range ? $"in {range} (a budget can only be raised)" : e.Requirement, Text(e.Value)));
            }
        }
    }

    /// <summary>Refuses a DP round whose worst case, with the open rounds' worst cases reserved, exceeds the budget. Call under <see cref="Gate"/>.</summary>
    /// <exception cref="AggregatorProblemException">409 privacy-budget-unset or privacy-budget-exhausted (with the figures).</exception>
    public void EnsureCanOpen(string federation, DpRoundParameters round, IEnumerable<DpRoundParameters> openRounds)
    {
        PrivacyLedger ledger = Find(federation) ?? throw Unset(federation);
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

    /// <summary>
    /// Charges a completed DP round with its actual survivors and hands the entry to <paramref name="commit"/>, which
    /// stores it in the round's completion transaction. Call under <see cref="Gate"/>. If the commit fails the ledger is
    /// reloaded from the database, so memory never holds a charge the disk does not.
    /// </summary>
    public PrivacyLedgerEntry Charge(string federation, byte[] roundId, DpRoundParameters round, int survivors, Action<PrivacyLedgerEntry> commit)
    {
        PrivacyLedger ledger = Find(federation) ?? throw new InvalidDataException($"federation '{federation}' has a DP round but no privacy ledger");
        PrivacyLedgerEntry entry = ledger.RecordRound(roundId, round, survivors, time.GetUtcNow().ToUnixTimeMilliseconds());
        Persist(federation, () => commit(entry));
        return entry;
    }

    /// <summary>The operator's view of the federation's ledger.</summary>
    /// <exception cref="AggregatorProblemException">404 privacy-budget-unset when the federation has none.</exception>
    public PrivacyLedgerView View(string federation)
    {
        lock (Gate)
        {
            PrivacyLedger ledger = Find(federation) ?? throw Unset(federation, status: 404);
            return PrivacyLedgerViews.Describe(federation, ledger);
        }
    }

    private void Persist(string federation, Action write)
    {
        try
        {
            write();
        }
        catch
        {
            _byFederation.Remove(federation); // rebuilt from what is durable on next use
            throw;
        }
    }

    private static AggregatorProblemException Unset(string federation, int? status = null) =>
        new(ProblemCode.PrivacyBudgetUnset, $"federation '{federation}' has no privacy budget; set one with PUT /admin/v1/federations/{federation}/privacy-budget", status);

    private static string Text(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
