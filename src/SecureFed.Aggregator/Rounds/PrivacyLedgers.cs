using SecureFed.Aggregator.Http;
using SecureFed.Aggregator.Storage;
using SecureFed.Privacy.Ledger;
using SecureFed.Privacy.Rounds;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Rounds;

/// <summary>
/// The federations' privacy ledgers in memory, each rebuilt (and checked) from its stored entries with
/// <see cref="PrivacyLedger.Replay"/> on first use. Every operation runs under <see cref="Gate"/>: the coordinator holds
/// it across a DP round's budget check and its insert, and across a charge and the transaction that stores it, so
/// concurrent opens cannot overspend together and memory never runs ahead of the disk. The rules are
/// <see cref="PrivacyBudgetRules"/>, shared with the cluster's ledger in PostgreSQL.
/// </summary>
internal sealed class PrivacyLedgers(PrivacyLedgerStore store, TimeProvider time) : IPrivacyBudgets
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
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        lock (Gate)
        {
            PrivacyLedger? ledger = Find(federation);
            PrivacyLedgerEntry entry = PrivacyBudgetRules.Apply(ledger, request, now, out PrivacyLedger after);
            if (ledger is null)
            {
                store.Append(federation, entry);
                _byFederation[federation] = after;
            }
            else
            {
                Persist(federation, () => store.Append(federation, entry));
            }
            return after;
        }
    }

    /// <summary>Refuses a DP round whose worst case, with the open rounds' worst cases reserved, exceeds the budget. Call under <see cref="Gate"/>.</summary>
    /// <exception cref="AggregatorProblemException">409 privacy-budget-unset or privacy-budget-exhausted (with the figures).</exception>
    public void EnsureCanOpen(string federation, DpRoundParameters round, IEnumerable<DpRoundParameters> openRounds) =>
        PrivacyBudgetRules.EnsureCanOpen(federation, Find(federation), round, openRounds);

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
            return PrivacyBudgetRules.View(federation, Find(federation));
        }
    }

    public Task<PrivacyLedgerView> SetBudgetAsync(string federation, PrivacyBudgetRequest request, CancellationToken ct)
    {
        lock (Gate)
        {
            SetBudget(federation, request);
            return Task.FromResult(View(federation));
        }
    }

    public Task<PrivacyLedgerView> ViewAsync(string federation, CancellationToken ct) => Task.FromResult(View(federation));

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
}
