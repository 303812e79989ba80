namespace SecureFed.Transport.Admin;

/// <summary>One entry of <see cref="PrivacyLedgerView"/> (protocol-spec/dp.md section 9).</summary>
public sealed class PrivacyLedgerLine
{
    /// <summary>Position in the ledger, from 0.</summary>
    public long Sequence { get; set; }

    /// <summary>"budget-set", "round-charged" or "budget-raised".</summary>
    public string Kind { get; set; } = "";

    /// <summary>When it was recorded (ms since the Unix epoch).</summary>
    public long TimestampMs { get; set; }

    /// <summary>Round entries: the round (32 hex digits).</summary>
    public string? RoundId { get; set; }

    /// <summary>Round entries: clients whose noise reached the sum.</summary>
    public int? Survivors { get; set; }

    /// <summary>Round entries: the epsilon of this round alone at the budget's delta.</summary>
    public double? RoundEpsilon { get; set; }

    /// <summary>Epsilon spent by all rounds up to and including this entry.</summary>
    public double SpentEpsilon { get; set; }

    /// <summary>The epsilon budget after this entry.</summary>
    public double BudgetEpsilon { get; set; }

    /// <summary>Budget entries: who set or raised it.</summary>
    public string? Actor { get; set; }

    /// <summary>The entry's canonical MessagePack bytes (hex), so that anyone can replay the ledger.</summary>
    public string Entry { get; set; } = "";
}
