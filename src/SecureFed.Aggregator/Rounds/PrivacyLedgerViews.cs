using SecureFed.Privacy.Accounting;
using SecureFed.Privacy.Ledger;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Rounds;

/// <summary>Turns a ledger into the operator's JSON view, round by round.</summary>
internal static class PrivacyLedgerViews
{
    public static PrivacyLedgerView Describe(string federation, PrivacyLedger ledger) => new()
    {
        Federation = federation,
        BudgetEpsilon = ledger.Budget.Epsilon,
        BudgetDelta = ledger.Budget.Delta,
        SpentEpsilon = ledger.SpentEpsilon,
        RemainingEpsilon = ledger.RemainingEpsilon,
        Entries = [.. ledger.Entries.Select(e => Line(e, ledger.Budget.Delta))],
    };

    private static PrivacyLedgerLine Line(PrivacyLedgerEntry e, double delta) => new()
    {
        Sequence = e.Sequence,
        Kind = e.Kind switch
        {
            PrivacyLedgerEntryKind.BudgetSet => "budget-set",
            PrivacyLedgerEntryKind.RoundCharged => "round-charged",
            _ => "budget-raised",
        },
        TimestampMs = e.TimestampMs,
        RoundId = e.RoundId.Length == 0 ? null : RoundIds.Format(e.RoundId),
        Survivors = e.Kind == PrivacyLedgerEntryKind.RoundCharged ? e.Survivors : null,
        RoundEpsilon = e.Kind == PrivacyLedgerEntryKind.RoundCharged ? RdpConversion.ToEpsilon(PrivacyLedger.Orders, e.Rdp, delta).Epsilon : null,
        SpentEpsilon = e.SpentEpsilon,
        BudgetEpsilon = e.BudgetEpsilon,
        Actor = e.Kind == PrivacyLedgerEntryKind.RoundCharged ? null : e.Actor,
        Entry = Convert.ToHexStringLower(e.Encode()),
    };
}
