namespace SecureFed.Client;

/// <summary>A finished contribution: the client took part in every stage and revealed its unmasking shares.</summary>
public sealed class ContributionResult(string roundId, uint clientId, IReadOnlyList<uint> survivors)
{
    /// <summary>The round.</summary>
    public string RoundId { get; } = roundId;

    /// <summary>This client's id in the round.</summary>
    public uint ClientId { get; } = clientId;

    /// <summary>The clients whose inputs are in the sum (this one among them), as the server announced and the client verified.</summary>
    public IReadOnlyList<uint> Survivors { get; } = survivors;
}
