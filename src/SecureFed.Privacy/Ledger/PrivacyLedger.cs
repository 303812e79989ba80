using SecureFed.Privacy.Accounting;
using SecureFed.Privacy.Parameters;
using SecureFed.Privacy.Rounds;

namespace SecureFed.Privacy.Ledger;

/// <summary>
/// The logic of a federation's privacy ledger (protocol-spec/dp.md, "Privacy ledger"), without storage: a budget
/// (epsilon, delta), one entry per completed DP round charged with the RDP of its ACTUAL survivors, and budget raises,
/// composed in RDP over <see cref="RdpOrders.Integer"/> and converted at the budget's delta (improved conversion).
/// Before a round opens, <see cref="Check"/> asks whether its worst case (only its minimum survivors), on top of what
/// is spent and what open rounds may still spend, stays within the budget. The host persists each returned entry
/// (in the same transaction as the round's completion) and rebuilds the ledger with <see cref="Replay"/>.
/// Not thread-safe: the host serialises the operations of one federation.
/// </summary>
public sealed class PrivacyLedger
{
    // Recomputed RDP and epsilon must match the stored ones to this relative precision (libm may differ in the last bits).
    private const double ReplayTolerance = 1e-9;

    private readonly List<PrivacyLedgerEntry> _entries = [];
    private readonly HashSet<string> _rounds = new(StringComparer.Ordinal);
    private readonly double[] _total = new double[Orders.Count];

    private PrivacyLedger(PrivacyBudget budget)
    {
        Budget = budget;
    }

    /// <summary>The Renyi orders of every curve in the ledger.</summary>
    public static IReadOnlyList<double> Orders => RdpOrders.Integer;

    /// <summary>The current budget.</summary>
    public PrivacyBudget Budget { get; private set; }

    /// <summary>Every entry, in order.</summary>
    public IReadOnlyList<PrivacyLedgerEntry> Entries => _entries;

    /// <summary>The composed RDP curve of all recorded rounds.</summary>
    public IReadOnlyList<double> TotalRdp => _total;

    /// <summary>Epsilon spent by all recorded rounds, at the budget's delta.</summary>
    public double SpentEpsilon => EpsilonOf(_total);

    /// <summary>Budget minus spent (at least 0).</summary>
    public double RemainingEpsilon => Math.Max(0, Budget.Epsilon - SpentEpsilon);

    /// <summary>A new ledger whose entry 0 sets <paramref name="budget"/>.</summary>
    public static PrivacyLedger Create(PrivacyBudget budget, string actor, long timestampMs)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(actor);
        var ledger = new PrivacyLedger(budget);
        ledger._entries.Add(new PrivacyLedgerEntry
        {
            Sequence = 0,
            Kind = PrivacyLedgerEntryKind.BudgetSet,
            TimestampMs = timestampMs,
            BudgetEpsilon = budget.Epsilon,
            BudgetDelta = budget.Delta,
            Actor = actor,
        });
        return ledger;
    }

    /// <summary>
    /// Whether a round with <paramref name="round"/>'s parameters may open: null when its worst case fits, else the
    /// refusal. <paramref name="openRounds"/> are rounds already opened but not yet recorded; their worst cases are
    /// reserved, so concurrent rounds cannot overspend together.
    /// </summary>
    public PrivacyBudgetRefusal? Check(DpRoundParameters round, IEnumerable<DpRoundParameters>? openRounds = null)
    {
        ArgumentNullException.ThrowIfNull(round);
        double[] committed = (double[])_total.Clone();
        foreach (DpRoundParameters open in openRounds ?? [])
        {
            Add(committed, open.WorstCaseRdp);
        }
        double spent = SpentEpsilon;
        double reserved = EpsilonOf(committed) - spent;
        double[] after = (double[])committed.Clone();
        Add(after, round.WorstCaseRdp);
        double total = EpsilonOf(after);
        if (total <= Budget.Epsilon)
        {
            return null;
        }
        double before = spent + reserved;
        return new PrivacyBudgetRefusal(spent, reserved, total - before, Math.Max(0, Budget.Epsilon - before), Budget.Epsilon, Budget.Delta);
    }

    /// <summary>Throws unless <see cref="Check"/> admits the round.</summary>
    /// <exception cref="PrivacyBudgetExhaustedException">The round's worst case does not fit; carries the refusal.</exception>
    public void EnsureCanOpen(DpRoundParameters round, IEnumerable<DpRoundParameters>? openRounds = null)
    {
        if (Check(round, openRounds) is { } refusal)
        {
            throw new PrivacyBudgetExhaustedException(refusal);
        }
    }

    /// <summary>
    /// Charges a completed round with the RDP of its <paramref name="survivors"/> actual survivors and returns the
    /// entry to persist. Always records (privacy released is privacy spent), even when that goes over the budget.
    /// </summary>
    /// <exception cref="ArgumentException">The round id is empty or longer than 64 bytes, or already charged.</exception>
    /// <exception cref="ArgumentOutOfRangeException">survivors is outside [1, roster size].</exception>
    public PrivacyLedgerEntry RecordRound(ReadOnlySpan<byte> roundId, DpRoundParameters round, int survivors, long timestampMs)
    {
        ArgumentNullException.ThrowIfNull(round);
        if (roundId.IsEmpty || roundId.Length > 64)
        {
            throw new ArgumentException("the round id must be 1 to 64 bytes", nameof(roundId));
        }
        if (_rounds.Contains(Convert.ToHexString(roundId)))
        {
            throw new ArgumentException($"round {Convert.ToHexString(roundId)} is already charged", nameof(roundId));
        }
        double[] rdp = [.. round.RoundRdp(survivors)];
        var entry = new PrivacyLedgerEntry
        {
            Sequence = _entries.Count,
            Kind = PrivacyLedgerEntryKind.RoundCharged,
            TimestampMs = timestampMs,
            RoundId = roundId.ToArray(),
            Survivors = survivors,
            Dp = round.ToConfiguration(),
            Rdp = rdp,
            BudgetEpsilon = Budget.Epsilon,
            BudgetDelta = Budget.Delta,
            SpentEpsilon = EpsilonOf(Sum(_total, rdp)),
        };
        Apply(entry, rdp);
        return entry;
    }

    /// <summary>Raises the epsilon budget (an administrator's act, itself recorded) and returns the entry to persist.</summary>
    /// <exception cref="ParameterOutOfRangeException">The new epsilon is not above the current budget (or not finite).</exception>
    public PrivacyLedgerEntry RaiseBudget(double epsilon, string actor, long timestampMs)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ParameterOutOfRangeException.ThrowIfOutside("Epsilon", epsilon, new ParameterRange(Budget.Epsilon, false, double.PositiveInfinity, false));
        var entry = new PrivacyLedgerEntry
        {
            Sequence = _entries.Count,
            Kind = PrivacyLedgerEntryKind.BudgetRaised,
            TimestampMs = timestampMs,
            BudgetEpsilon = epsilon,
            BudgetDelta = Budget.Delta,
            SpentEpsilon = SpentEpsilon,
            Actor = actor,
        };
        Apply(entry, null);
        return entry;
    }

    /// <summary>
    /// Rebuilds a ledger from its stored entries, checking them: contiguous sequence from a BudgetSet entry, a fixed
    /// delta, raises only upward, no round charged twice, and every round's RDP and running epsilon recomputed from
    /// its plan and survivor count.
    /// </summary>
    /// <exception cref="InvalidDataException">An entry is inconsistent (the message says which and why).</exception>
    public static PrivacyLedger Replay(IEnumerable<PrivacyLedgerEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        PrivacyLedger? ledger = null;
        foreach (PrivacyLedgerEntry e in entries)
        {
            ArgumentNullException.ThrowIfNull(e);
            long seq = ledger?._entries.Count ?? 0;
            Require(e.Version == PrivacyLedgerEntry.CurrentVersion, seq, $"unknown version {e.Version}");
            Require(e.Sequence == seq, seq, $"sequence {e.Sequence} where {seq} was expected");
            if (ledger is null)
            {
                Require(e.Kind == PrivacyLedgerEntryKind.BudgetSet, seq, "the first entry must set the budget");
                PrivacyBudget budget;
                try
                {
                    budget = PrivacyBudget.Create(e.BudgetEpsilon, e.BudgetDelta);
                }
                catch (ParameterOutOfRangeException x)
                {
                    throw new InvalidDataException($"ledger entry 0: {x.Message}", x);
                }
                ledger = Create(budget, e.Actor ?? string.Empty, e.TimestampMs);
                continue;
            }
            Require(e.BudgetDelta == ledger.Budget.Delta, seq, "the budget's delta changed");
            switch (e.Kind)
            {
                case PrivacyLedgerEntryKind.BudgetRaised:
                    Require(e.BudgetEpsilon > ledger.Budget.Epsilon && double.IsFinite(e.BudgetEpsilon), seq, "a raise must increase the budget");
                    ledger.Apply(e, null);
                    break;
                case PrivacyLedgerEntryKind.RoundCharged:
                    ledger.ReplayRound(e, seq);
                    break;
                default:
                    throw new InvalidDataException($"ledger entry {seq}: kind {e.Kind} is not allowed here");
            }
        }
        return ledger ?? throw new InvalidDataException("a ledger needs at least its budget entry");
    }

    private void ReplayRound(PrivacyLedgerEntry e, long seq)
    {
        Require(e.BudgetEpsilon == Budget.Epsilon, seq, "a round entry changed the budget");
        Require(e.RoundId is { Length: > 0 and <= 64 }, seq, "the round id must be 1 to 64 bytes");
        Require(!_rounds.Contains(Convert.ToHexString(e.RoundId)), seq, "the round is charged twice");
        Require(e.Dp is not null, seq, "a round entry needs its DP plan");
        Require(e.Rdp is not null && e.Rdp.Length == Orders.Count, seq, $"the RDP curve must have {Orders.Count} values");
        IReadOnlyList<double> recomputed;
        try
        {
            recomputed = DpRoundParameters.Create(e.Dp!).RoundRdp(e.Survivors);
        }
        catch (ArgumentException x)
        {
            throw new InvalidDataException($"ledger entry {seq}: {x.Message}", x);
        }
        for (int i = 0; i < recomputed.Count; i++)
        {
            Require(Close(e.Rdp![i], recomputed[i]), seq, $"stored RDP {e.Rdp[i]} at order {Orders[i]} differs from the recomputed {recomputed[i]}");
        }
        double spent = EpsilonOf(Sum(_total, recomputed));
        Require(Close(e.SpentEpsilon, spent), seq, $"stored spent epsilon {e.SpentEpsilon} differs from the recomputed {spent}");
        Apply(e, recomputed);
    }

    private void Apply(PrivacyLedgerEntry entry, IReadOnlyList<double>? rdp)
    {
        if (rdp is not null)
        {
            Add(_total, rdp);
            _rounds.Add(Convert.ToHexString(entry.RoundId));
        }
        if (entry.Kind == PrivacyLedgerEntryKind.BudgetRaised)
        {
            Budget = PrivacyBudget.Create(entry.BudgetEpsilon, Budget.Delta);
        }
        _entries.Add(entry);
    }

    private double EpsilonOf(IReadOnlyList<double> rdp) => RdpConversion.ToEpsilon(Orders, rdp, Budget.Delta).Epsilon;

    private static double[] Sum(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double[] s = [.. a];
        Add(s, b);
        return s;
    }

    private static void Add(double[] total, IReadOnlyList<double> rdp)
    {
        for (int i = 0; i < total.Length; i++)
        {
            total[i] += rdp[i];
        }
    }

    private static bool Close(double stored, double recomputed) =>
        Math.Abs(stored - recomputed) <= ReplayTolerance * Math.Max(Math.Abs(recomputed), 1e-300) || stored == recomputed;

    private static void Require(bool condition, long sequence, string message)
    {
        if (!condition)
        {
            throw new InvalidDataException($"ledger entry {sequence}: {message}");
        }
    }
}
