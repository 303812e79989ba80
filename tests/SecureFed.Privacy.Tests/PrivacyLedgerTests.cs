using SecureFed.Privacy.Accounting;
using SecureFed.Privacy.Ledger;
using SecureFed.Privacy.Parameters;
using SecureFed.Privacy.Rounds;

namespace SecureFed.Privacy.Tests;

public class PrivacyLedgerTests
{
    private const long Now = 1_700_000_000_000;
    private static readonly Lazy<DpRoundParameters> Round = new(() => DpRoundParameters.Create(DpRoundParametersTests.Options(z: 1.5)));

    private static byte[] Id(int i) => [.. Enumerable.Repeat((byte)i, 16)];

    private static double WorstCase(int rounds) => DistributedDpAccountant.Project(Round.Value.Plan, Round.Value.MinimumSurvivors, rounds).Epsilon;

    [Fact]
    public void Budgets_outside_their_ranges_are_refused()
    {
        Assert.Equal("Epsilon", Assert.Throws<ParameterOutOfRangeException>(() => PrivacyBudget.Create(0, 1e-5)).Field);
        Assert.Equal("Epsilon", Assert.Throws<ParameterOutOfRangeException>(() => PrivacyBudget.Create(double.PositiveInfinity, 1e-5)).Field);
        Assert.Equal("Delta", Assert.Throws<ParameterOutOfRangeException>(() => PrivacyBudget.Create(1, 1)).Field);
    }

    [Fact]
    public void Each_round_is_charged_with_its_actual_survivors_as_the_accountant_composes_them()
    {
        var ledger = PrivacyLedger.Create(PrivacyBudget.Create(100, 1e-5), "admin", Now);
        var accountant = new DistributedDpAccountant(Round.Value.Plan);
        int[] survivors = [40, 50, 43];
        for (int i = 0; i < survivors.Length; i++)
        {
            PrivacyLedgerEntry e = ledger.RecordRound(Id(i), Round.Value, survivors[i], Now + i);
            accountant.RecordRound(survivors[i]);
            Assert.Equal(PrivacyLedgerEntryKind.RoundCharged, e.Kind);
            Assert.Equal(i + 1, e.Sequence);
            Assert.Equal(survivors[i], e.Survivors);
            Assert.Equal(accountant.Spent().Epsilon, e.SpentEpsilon, 12);
        }
        Assert.Equal(accountant.Spent().Epsilon, ledger.SpentEpsilon, 12);
        Assert.Equal(100 - ledger.SpentEpsilon, ledger.RemainingEpsilon, 12);
        // More survivors, more noise, less epsilon than the worst case.
        var fresh = PrivacyLedger.Create(PrivacyBudget.Create(100, 1e-5), "admin", Now);
        Assert.True(fresh.RecordRound(Id(9), Round.Value, 50, Now).SpentEpsilon < WorstCase(1));
    }

    [Fact]
    public void A_round_whose_worst_case_would_exceed_the_budget_is_refused_with_spent_requested_and_remaining()
    {
        // Room for exactly three worst-case rounds composed in RDP (far more than three single-round epsilons would allow).
        double budget = WorstCase(3) * 1.0001;
        Assert.True(budget < 3 * WorstCase(1));
        var ledger = PrivacyLedger.Create(PrivacyBudget.Create(budget, 1e-5), "admin", Now);
        for (int i = 0; i < 3; i++)
        {
            Assert.Null(ledger.Check(Round.Value));
            ledger.RecordRound(Id(i), Round.Value, Round.Value.MinimumSurvivors, Now);
        }
        PrivacyBudgetRefusal refusal = ledger.Check(Round.Value)!;
        Assert.NotNull(refusal);
        Assert.Equal(ledger.SpentEpsilon, refusal.SpentEpsilon);
        Assert.Equal(WorstCase(3), refusal.SpentEpsilon, 9);
        Assert.Equal(WorstCase(4) - WorstCase(3), refusal.RequestedEpsilon, 9);
        Assert.Equal(budget - refusal.SpentEpsilon, refusal.RemainingEpsilon, 12);
        Assert.Equal(0, refusal.ReservedEpsilon);
        var e = Assert.Throws<PrivacyBudgetExhaustedException>(() => ledger.EnsureCanOpen(Round.Value));
        Assert.Equal(refusal, e.Refusal);
        Assert.Contains("privacy budget exhausted: spent", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rounds_already_open_reserve_their_worst_case()
    {
        var ledger = PrivacyLedger.Create(PrivacyBudget.Create(WorstCase(2) * 1.0001, 1e-5), "admin", Now);
        Assert.Null(ledger.Check(Round.Value, [Round.Value]));
        PrivacyBudgetRefusal refusal = ledger.Check(Round.Value, [Round.Value, Round.Value])!;
        Assert.NotNull(refusal);
        Assert.Equal(0, refusal.SpentEpsilon);
        Assert.Equal(WorstCase(2), refusal.ReservedEpsilon, 9);
    }

    [Fact]
    public void Raising_the_budget_is_recorded_and_only_upward()
    {
        var ledger = PrivacyLedger.Create(PrivacyBudget.Create(WorstCase(1) * 1.0001, 1e-5), "admin", Now);
        ledger.RecordRound(Id(1), Round.Value, 40, Now);
        Assert.NotNull(ledger.Check(Round.Value));
        var low = Assert.Throws<ParameterOutOfRangeException>(() => ledger.RaiseBudget(ledger.Budget.Epsilon, "mallory", Now));
        Assert.Equal("Epsilon", low.Field);
        PrivacyLedgerEntry raise = ledger.RaiseBudget(10, "alice", Now + 5);
        Assert.Equal((PrivacyLedgerEntryKind.BudgetRaised, 2L, "alice", 10.0), (raise.Kind, raise.Sequence, raise.Actor, raise.BudgetEpsilon));
        Assert.Null(ledger.Check(Round.Value));
        Assert.Equal(10, ledger.Budget.Epsilon);
    }

    [Fact]
    public void A_round_cannot_be_charged_twice()
    {
        var ledger = PrivacyLedger.Create(PrivacyBudget.Create(100, 1e-5), "admin", Now);
        ledger.RecordRound(Id(1), Round.Value, 45, Now);
        Assert.Throws<ArgumentException>(() => ledger.RecordRound(Id(1), Round.Value, 45, Now));
        Assert.Throws<ArgumentException>(() => ledger.RecordRound([], Round.Value, 45, Now));
        Assert.Throws<ArgumentOutOfRangeException>(() => ledger.RecordRound(Id(2), Round.Value, 51, Now));
    }

    [Fact]
    public void Entries_serialize_deterministically_and_replay_to_the_same_ledger()
    {
        var ledger = PrivacyLedger.Create(PrivacyBudget.Create(1.0, 1e-5), "admin", Now);
        // [1, 0, BudgetSet, Now, bin "", 0, nil, [], 1.0, 1e-5, 0.0, "admin"] (protocol-spec/dp.md, "Privacy ledger").
        Assert.Equal("9c010000cf0000018bcfe56800c40000c090cb3ff0000000000000cb3ee4f8b588e368f1cb0000000000000000a561646d696e",
            Convert.ToHexStringLower(ledger.Entries[0].Encode()));
        ledger.RaiseBudget(50, "admin", Now + 1);
        ledger.RecordRound(Id(1), Round.Value, 44, Now + 2);
        ledger.RecordRound(Id(2), Round.Value, 50, Now + 3);
        byte[][] stored = [.. ledger.Entries.Select(e => e.Encode())];
        PrivacyLedgerEntry[] decoded = [.. stored.Select(b => PrivacyLedgerEntry.Decode(b))];
        Assert.Equal(stored, decoded.Select(e => e.Encode()));
        PrivacyLedger replayed = PrivacyLedger.Replay(decoded);
        Assert.Equal(ledger.SpentEpsilon, replayed.SpentEpsilon);
        Assert.Equal(ledger.Budget, replayed.Budget);
        Assert.Equal(ledger.TotalRdp, replayed.TotalRdp);
    }

    [Fact]
    public void Replay_refuses_inconsistent_entries()
    {
        var ledger = PrivacyLedger.Create(PrivacyBudget.Create(50, 1e-5), "admin", Now);
        ledger.RecordRound(Id(1), Round.Value, 44, Now);
        ledger.RecordRound(Id(2), Round.Value, 45, Now);
        PrivacyLedgerEntry[] good = [.. ledger.Entries];
        void Refused(params PrivacyLedgerEntry[] entries) => Assert.Throws<InvalidDataException>(() => PrivacyLedger.Replay(entries));

        double[] rdp = [.. good[1].Rdp];
        rdp[5] *= 0.5;
        Refused(good[0], good[1] with { Rdp = rdp });                      // a curve that is not the plan's
        Refused(good[0], good[1] with { Survivors = 50 });                  // survivors changed after the fact
        Refused(good[0], good[1] with { SpentEpsilon = 0.01 });             // running total understated
        Refused(good[0], good[2] with { Sequence = 1 }, good[1] with { Sequence = 2 }); // out of order: totals no longer match
        Refused(good[0], good[2]);                                          // gap
        Refused(good[0], good[1], good[2] with { Sequence = 3 }, good[1] with { Sequence = 3 });
        Refused(good[1]);                                                   // no budget entry first
        Refused(good[0], good[1] with { BudgetDelta = 1e-3 });
        Refused(good[0], good[1], good[2] with { RoundId = good[1].RoundId });
        Refused(good[0], good[1] with { Dp = null });
        Refused(good[0], good[0] with { Sequence = 1, Kind = PrivacyLedgerEntryKind.BudgetRaised, BudgetEpsilon = 49 });
        Refused(good[0] with { Version = 2 });
        Refused();
        Assert.Equal(ledger.SpentEpsilon, PrivacyLedger.Replay(good).SpentEpsilon);
    }

    [Fact]
    public void Garbage_bytes_are_not_a_ledger_entry()
    {
        byte[] bytes = PrivacyLedger.Create(PrivacyBudget.Create(1, 1e-5), "admin", Now).Entries[0].Encode();
        Assert.Throws<InvalidDataException>(() => PrivacyLedgerEntry.Decode(bytes[..^3]));
        Assert.Throws<InvalidDataException>(() => PrivacyLedgerEntry.Decode((byte[])[.. bytes, 0x00]));
        Assert.Throws<InvalidDataException>(() => PrivacyLedgerEntry.Decode(new byte[] { 0xc0 }));
        Assert.Throws<InvalidDataException>(() => PrivacyLedgerEntry.Decode(new byte[] { 0x01 }));
    }
}
