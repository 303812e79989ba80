namespace SecureFed.Protocol.Planning;

/// <summary>Inputs of the SecAgg+ parameter finder.</summary>
public sealed record GraphPlanRequest
{
    /// <summary>Number of clients n.</summary>
    public required int Clients { get; init; }

    /// <summary>Fraction of clients that may be corrupt and collude with the server (gamma).</summary>
    public double CorruptFraction { get; init; } = 0.05;

    /// <summary>Fraction of clients that may drop out during the round (delta).</summary>
    public double DropoutFraction { get; init; } = 0.1;

    /// <summary>Statistical security parameter sigma: privacy fails with probability at most 2^-sigma.</summary>
    public int SecurityBits { get; init; } = 40;

    /// <summary>Correctness parameter eta: the round fails with probability at most 2^-eta.</summary>
    public int CorrectnessBits { get; init; } = 20;

    /// <summary>Server model.</summary>
    public AdversaryModel Adversary { get; init; } = AdversaryModel.HonestButCurious;
}
