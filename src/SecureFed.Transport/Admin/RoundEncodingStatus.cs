namespace SecureFed.Transport.Admin;

/// <summary>
/// A float or DP round's encoding in its status (<c>GET /admin/v1/rounds/{id}</c>, protocol-spec/transport.md section 5),
/// and for a DP round the privacy it spends: this round's epsilon and the federation's spent and remaining budget.
/// </summary>
public sealed class RoundEncodingStatus
{
    /// <summary>"float" (float updates, weighted average) or "dp" (float updates with distributed DP).</summary>
    public string Kind { get; set; } = "";

    /// <summary>Coordinates of every update.</summary>
    public int Length { get; set; }

    /// <summary>L2 clip norm applied on the device.</summary>
    public double ClipNorm { get; set; }

    /// <summary>Bits per coordinate of the summed words.</summary>
    public int Bits { get; set; }

    /// <summary>Integer units per unit of (weighted) update: the resolution.</summary>
    public double Scale { get; set; }

    /// <summary>Float rounds: the largest weight per device (1 in a DP round).</summary>
    public double MaxWeight { get; set; }

    /// <summary>DP: "discrete-gaussian" or "skellam".</summary>
    public string? Mechanism { get; set; }

    /// <summary>DP: z, the summed noise of the minimum survivors has standard deviation z x ClipNorm.</summary>
    public double? NoiseMultiplier { get; set; }

    /// <summary>DP: delta of the guarantee.</summary>
    public double? Delta { get; set; }

    /// <summary>DP: the fewest survivors the noise is sized for.</summary>
    public int? MinimumSurvivors { get; set; }

    /// <summary>DP: the round's epsilon, charged with its actual survivors once completed; while it runs, its worst case
    /// (the minimum survivors), which the federation's budget reserves.</summary>
    public double? RoundEpsilon { get; set; }

    /// <summary>DP: true once <see cref="RoundEpsilon"/> is the charged value (the round completed).</summary>
    public bool? RoundEpsilonCharged { get; set; }

    /// <summary>DP: epsilon the federation has spent so far (its privacy ledger, all rounds).</summary>
    public double? FederationSpentEpsilon { get; set; }

    /// <summary>DP: epsilon left in the federation's budget.</summary>
    public double? FederationRemainingEpsilon { get; set; }
}
