namespace SecureFed.Privacy.Ledger;

/// <summary>What a privacy-ledger entry records.</summary>
public enum PrivacyLedgerEntryKind
{
    /// <summary>The federation's first budget (always entry 0).</summary>
    BudgetSet = 0,

    /// <summary>A completed DP round, charged with the noise of its actual survivors.</summary>
    RoundCharged = 1,

    /// <summary>An administrator raised the epsilon budget.</summary>
    BudgetRaised = 2,
}
