using Npgsql;
using NpgsqlTypes;
using SecureFed.Aggregator.Protocols;
using SecureFed.Privacy.Accounting;
using SecureFed.Privacy.Ledger;
using SecureFed.Privacy.Rounds;

namespace SecureFed.Cluster.Storage;

/// <summary>
/// The federations' privacy ledgers in PostgreSQL (<c>securefed_privacy_ledger</c>, <c>securefed_privacy_budgets</c>),
/// the cluster's counterpart of the single node's SQLite <c>privacy_ledger</c>: the same canonical
/// <see cref="PrivacyLedgerEntry"/> rows, replayed and checked by <see cref="PrivacyLedger.Replay"/> on every read. No
/// silo caches a ledger: every change runs in one transaction holding the federation's ledger lock (an advisory
/// transaction lock), reads the ledger inside it and writes its entry there, so writers on different silos take turns
/// and a sequence number is never contested.
/// </summary>
internal sealed class ClusterPrivacyLedgerStore(NpgsqlDataSource dataSource)
{
    /// <summary>The federation's ledger as committed now, or null when it has no budget.</summary>
    /// <exception cref="InvalidDataException">The stored ledger does not replay (tampered with or corrupt).</exception>
    public async Task<PrivacyLedger?> FindAsync(string federation, CancellationToken ct)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        return await LoadAsync(connection, null, federation, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction holding the federation's ledger lock, with the ledger read inside
    /// it; commits when the work returns true in <c>Commit</c>, else rolls back (so does an exception).
    /// </summary>
    public async Task<T> UnderLockAsync<T>(string federation, Func<LedgerTransaction, Task<(T Result, bool Commit)>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (NpgsqlCommand @lock = new("SELECT pg_advisory_xact_lock(hashtextextended('securefed_privacy_ledger:' || @f, 0))", connection, transaction))
        {
            @lock.Parameters.Add(new NpgsqlParameter<string>("f", NpgsqlDbType.Text) { TypedValue = federation });
            await @lock.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        PrivacyLedger? ledger = await LoadAsync(connection, transaction, federation, ct).ConfigureAwait(false);
        (T result, bool commit) = await work(new LedgerTransaction(connection, transaction, federation, ledger)).ConfigureAwait(false);
        if (commit)
        {
            await transaction.CommitAsync(ct).ConfigureAwait(false);
        }
        else
        {
            await transaction.RollbackAsync(ct).ConfigureAwait(false);
        }
        return result;
    }

    private static async Task<PrivacyLedger?> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string federation, CancellationToken ct)
    {
        await using NpgsqlCommand read = new("SELECT entry FROM securefed_privacy_ledger WHERE federation = @f ORDER BY seq", connection, transaction);
        read.Parameters.Add(new NpgsqlParameter<string>("f", NpgsqlDbType.Text) { TypedValue = federation });
        var entries = new List<PrivacyLedgerEntry>();
        await using (NpgsqlDataReader r = await read.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                entries.Add(PrivacyLedgerEntry.Decode(r.GetFieldValue<byte[]>(0)));
            }
        }
        return entries.Count == 0 ? null : PrivacyLedger.Replay(entries);
    }

    /// <summary>One ledger transaction: the federation's ledger as read under its lock, and the writes that go with it.</summary>
    internal sealed class LedgerTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction, string federation, PrivacyLedger? ledger)
    {
        public NpgsqlConnection Connection { get; } = connection;

        public NpgsqlTransaction Transaction { get; } = transaction;

        /// <summary>The federation's ledger (null: no budget yet).</summary>
        public PrivacyLedger? Ledger { get; } = ledger;

        /// <summary>Inserts <paramref name="entry"/> (already applied to <paramref name="after"/>) and the federation's budget row after it.</summary>
        public async Task AppendAsync(PrivacyLedgerEntry entry, PrivacyLedger after, CancellationToken ct)
        {
            ArgumentNullException.ThrowIfNull(entry);
            ArgumentNullException.ThrowIfNull(after);
            double epsilon = entry.Kind == PrivacyLedgerEntryKind.RoundCharged
                ? RdpConversion.ToEpsilon(PrivacyLedger.Orders, entry.Rdp, after.Budget.Delta).Epsilon
                : entry.BudgetEpsilon;
            await using (NpgsqlCommand insert = new("""
                INSERT INTO securefed_privacy_ledger(federation, seq, kind, round_id, epsilon, delta, entry, actor)
                VALUES (@f, @seq, @kind, @round, @epsilon, @delta, @entry, @actor)
                """, Connection, Transaction))
            {
                insert.Parameters.Add(new NpgsqlParameter<string>("f", NpgsqlDbType.Text) { TypedValue = federation });
                insert.Parameters.Add(new NpgsqlParameter<long>("seq", NpgsqlDbType.Bigint) { TypedValue = entry.Sequence });
                insert.Parameters.Add(new NpgsqlParameter<short>("kind", NpgsqlDbType.Smallint) { TypedValue = (short)entry.Kind });
                insert.Parameters.Add(new NpgsqlParameter("round", NpgsqlDbType.Bytea) { Value = entry.RoundId.Length == 0 ? DBNull.Value : entry.RoundId });
                insert.Parameters.Add(new NpgsqlParameter<double>("epsilon", NpgsqlDbType.Double) { TypedValue = epsilon });
                insert.Parameters.Add(new NpgsqlParameter<double>("delta", NpgsqlDbType.Double) { TypedValue = after.Budget.Delta });
                insert.Parameters.Add(new NpgsqlParameter<byte[]>("entry", NpgsqlDbType.Bytea) { TypedValue = entry.Encode() });
                insert.Parameters.Add(new NpgsqlParameter("actor", NpgsqlDbType.Text) { Value = entry.Kind == PrivacyLedgerEntryKind.RoundCharged ? DBNull.Value : entry.Actor });
                await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            await using NpgsqlCommand budget = new("""
                INSERT INTO securefed_privacy_budgets(federation, budget_epsilon, delta, spent_epsilon, last_seq)
                VALUES (@f, @budget, @delta, @spent, @seq)
                ON CONFLICT (federation) DO UPDATE SET budget_epsilon = EXCLUDED.budget_epsilon, spent_epsilon = EXCLUDED.spent_epsilon,
                    last_seq = EXCLUDED.last_seq, updated_at = now()
                """, Connection, Transaction);
            budget.Parameters.Add(new NpgsqlParameter<string>("f", NpgsqlDbType.Text) { TypedValue = federation });
            budget.Parameters.Add(new NpgsqlParameter<double>("budget", NpgsqlDbType.Double) { TypedValue = after.Budget.Epsilon });
            budget.Parameters.Add(new NpgsqlParameter<double>("delta", NpgsqlDbType.Double) { TypedValue = after.Budget.Delta });
            budget.Parameters.Add(new NpgsqlParameter<double>("spent", NpgsqlDbType.Double) { TypedValue = after.SpentEpsilon });
            budget.Parameters.Add(new NpgsqlParameter<long>("seq", NpgsqlDbType.Bigint) { TypedValue = entry.Sequence });
            await budget.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        /// <summary>
        /// The plans of the federation's DP rounds that are open and not charged: their worst cases are reserved. A round
        /// whose end could not be marked keeps its reservation until it is (the safe direction).
        /// </summary>
        public async Task<List<DpRoundParameters>> OpenDpRoundsAsync(CancellationToken ct)
        {
            await using NpgsqlCommand read = new("""
                SELECT r.dp_plan FROM securefed_rounds r
                WHERE r.federation = @f AND r.dp_plan IS NOT NULL AND r.ended_phase IS NULL
                  AND NOT EXISTS (SELECT 1 FROM securefed_privacy_ledger l WHERE l.federation = r.federation AND l.round_id = r.round_id)
                """, Connection, Transaction);
            read.Parameters.Add(new NpgsqlParameter<string>("f", NpgsqlDbType.Text) { TypedValue = federation });
            var plans = new List<DpRoundParameters>();
            await using NpgsqlDataReader r = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                byte[] plan = r.GetFieldValue<byte[]>(0);
                plans.Add(RoundEncoding.FromStored(null, plan)!.Dp!);
            }
            return plans;
        }
    }
}
