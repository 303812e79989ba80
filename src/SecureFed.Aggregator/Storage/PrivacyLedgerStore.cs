using SecureFed.Privacy.Ledger;

namespace SecureFed.Aggregator.Storage;

/// <summary>
/// Each federation's privacy ledger in the privacy_ledger table (protocol-spec/dp.md section 9): one canonical
/// <see cref="PrivacyLedgerEntry"/> per row, numbered from 0. A round's charge is appended by
/// <see cref="RoundStore.Close"/> in the same transaction as the round's outcome, so no committed state has a completed
/// DP round without its charge (or a charge without its outcome).
/// </summary>
internal sealed class PrivacyLedgerStore(AggregatorDatabase db)
{
    /// <summary>The federation's entries in order (empty when it has no budget).</summary>
    /// <exception cref="InvalidDataException">A stored entry is not a ledger entry.</exception>
    public List<PrivacyLedgerEntry> Load(string federation) => db.Read(f =>
        f.Rows("SELECT entry FROM privacy_ledger WHERE federation = $f ORDER BY seq", r => PrivacyLedgerEntry.Decode((byte[])r[0]), ("$f", federation)));

    /// <summary>Appends a budget entry in its own transaction.</summary>
    public void Append(string federation, PrivacyLedgerEntry entry) => db.Write(f =>
    {
        Append(f, federation, entry);
        return 0;
    });

    /// <summary>Appends <paramref name="entry"/> inside the caller's transaction.</summary>
    public static void Append(SqliteCommandFactory f, string federation, PrivacyLedgerEntry entry) =>
        f.Execute("INSERT INTO privacy_ledger(federation, seq, round_id, entry) VALUES($f, $q, $r, $e)",
            ("$f", federation), ("$q", entry.Sequence), ("$r", entry.RoundId.Length == 0 ? null : entry.RoundId), ("$e", entry.Encode()));
}
