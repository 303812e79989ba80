namespace SecureFed.Protocol.Planning;

/// <summary>
/// A round's assumptions for choosing its graph (admin options of the host). The defaults are the finder's, the
/// same as `simulate` and `plan`: up to 5% corrupt clients colluding with an honest-but-curious server, up to 10%
/// dropouts, privacy failure at most 2^-40 and correctness failure at most 2^-20.
/// </summary>
public sealed record RoundGraphOptions
{
    /// <summary>Finder (default) or the complete graph.</summary>
    public RoundGraphChoice Choice { get; init; } = RoundGraphChoice.Finder;

    /// <summary>Fraction of clients that may be corrupt (gamma), in [0, 1).</summary>
    public double CorruptFraction { get; init; } = 0.05;

    /// <summary>Fraction of clients that may drop out (delta), in [0, 1).</summary>
    public double DropoutFraction { get; init; } = 0.1;

    /// <summary>Statistical security parameter sigma, 1..128.</summary>
    public int SecurityBits { get; init; } = 40;

    /// <summary>Correctness parameter eta, 1..128.</summary>
    public int CorrectnessBits { get; init; } = 20;

    /// <summary>What the server may do.</summary>
    public AdversaryModel Adversary { get; init; } = AdversaryModel.HonestButCurious;
}
