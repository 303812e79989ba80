namespace SecureFed.Transport.Admin;

/// <summary>
/// The <c>Graph</c> object of an open-round request (masking rounds, protocol-spec/secagg.md 6.2): how the neighbour
/// graph is chosen and the assumptions the choice must survive. Every field is optional; a missing field takes the
/// finder's default (the same as <c>simulate</c> and <c>plan</c>).
/// </summary>
public sealed class GraphRequest
{
    /// <summary>Wire name of the SecAgg+ parameter finder (the default): the smallest safe Harary degree k.</summary>
    public const string Finder = "finder";

    /// <summary>Wire name of the complete graph (every client a neighbour of every other).</summary>
    public const string Complete = "complete";

    /// <summary>Wire name of an honest-but-curious server (the default).</summary>
    public const string HonestButCurious = "honest-but-curious";

    /// <summary>Wire name of a semi-malicious server (may lie about who dropped).</summary>
    public const string SemiMalicious = "semi-malicious";

    /// <summary><see cref="Finder"/> (null means the finder) or <see cref="Complete"/>.</summary>
    public string? Kind { get; set; }

    /// <summary>Fraction of clients that may be corrupt (gamma) in [0, 1); null for 0.05.</summary>
    public double? CorruptFraction { get; set; }

    /// <summary>Fraction of clients that may drop out (delta) in [0, 1); null for 0.1.</summary>
    public double? DropoutFraction { get; set; }

    /// <summary>Statistical security parameter sigma (privacy fails with probability at most 2^-sigma), 1..128; null for 40.</summary>
    public int? SecurityBits { get; set; }

    /// <summary>Correctness parameter eta (the round fails with probability at most 2^-eta), 1..128; null for 20.</summary>
    public int? CorrectnessBits { get; set; }

    /// <summary><see cref="HonestButCurious"/> (null) or <see cref="SemiMalicious"/>.</summary>
    public string? Adversary { get; set; }
}
