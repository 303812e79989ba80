using SecureFed.Aggregator.Rounds;
using SecureFed.Cluster.Storage;
using SecureFed.Privacy.Ledger;
using SecureFed.Privacy.Rounds;
using SecureFed.Transport.Admin;

namespace SecureFed.Cluster.Rounds;

/// <summary>
/// The cluster's privacy budgets, on every silo's front end: the budget endpoints over the PostgreSQL ledger, and the
/// admission of DP rounds. The rules are the single node's (<see cref="PrivacyBudgetRules"/>, <see cref="PrivacyLedger"/>);
/// what differs is that no silo keeps a ledger in memory: each operation reads it under the federation's ledger lock.
/// </summary>
internal sealed class ClusterPrivacyBudgets(ClusterPrivacyLedgerStore store, TimeProvider time) : IPrivacyBudgets
{
    public Task<PrivacyLedgerView> SetBudgetAsync(string federation, PrivacyBudgetRequest request, CancellationToken ct) =>
        store.UnderLockAsync(federation, async tx =>
        {
            PrivacyLedgerEntry entry = PrivacyBudgetRules.Apply(tx.Ledger, request, time.GetUtcNow().ToUnixTimeMilliseconds(), out PrivacyLedger after);
            await tx.AppendAsync(entry, after, ct).ConfigureAwait(false);
            return (PrivacyBudgetRules.View(federation, after), true);
        }, ct);

    public async Task<PrivacyLedgerView> ViewAsync(string federation, CancellationToken ct) =>
        PrivacyBudgetRules.View(federation, await store.FindAsync(federation, ct).ConfigureAwait(false));

    /// <summary>The federation's ledger as committed now (null: no budget).</summary>
    public Task<PrivacyLedger?> FindAsync(string federation, CancellationToken ct) => store.FindAsync(federation, ct);

    /// <summary>
    /// Admits a DP round: under the federation's ledger lock, checks its worst case against the budget with the worst
    /// cases of the federation's open, uncharged DP rounds reserved, then runs <paramref name="open"/> (which stores the
    /// round's row with its plan) before the lock is released, so concurrent opens on any silos reserve in turn.
    /// </summary>
    /// <exception cref="Aggregator.Http.AggregatorProblemException">409 privacy-budget-unset or privacy-budget-exhausted (nothing opened).</exception>
    public Task<T> AdmitAsync<T>(string federation, DpRoundParameters round, Func<Task<T>> open, CancellationToken ct) =>
        store.UnderLockAsync(federation, async tx =>
        {
            List<DpRoundParameters> reserved = await tx.OpenDpRoundsAsync(ct).ConfigureAwait(false);
            PrivacyBudgetRules.EnsureCanOpen(federation, tx.Ledger, round, reserved);
            // Nothing of this transaction is written: it only holds the lock while the round's row is stored.
            return (await open().ConfigureAwait(false), false);
        }, ct);
}
