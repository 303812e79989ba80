namespace SecureFed.Transport.Admin;

/// <summary>A federation's privacy ledger as the operator sees it (<c>GET /admin/v1/federations/{federation}/privacy-ledger</c>).</summary>
public sealed class PrivacyLedgerView
{
    /// <summary>The federation.</summary>
    public string Federation { get; set; } = "";

    /// <summary>The current epsilon budget.</summary>
    public double BudgetEpsilon { get; set; }

    /// <summary>The budget's delta.</summary>
    public double BudgetDelta { get; set; }

    /// <summary>Epsilon spent by every charged round, composed in RDP, at the budget's delta.</summary>
    public double SpentEpsilon { get; set; }

    /// <summary>Budget minus spent (at least 0); open DP rounds may still take part of it.</summary>
    public double RemainingEpsilon { get; set; }

    /// <summary>Every entry, in order.</summary>
    public List<PrivacyLedgerLine> Entries { get; set; } = [];
}
