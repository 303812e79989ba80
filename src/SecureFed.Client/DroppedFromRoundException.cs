namespace SecureFed.Client;

/// <summary>The client missed a stage's deadline (or joined after key advertisement) and is no longer part of the
/// round; its input is not in the sum. It may take part in a later round.</summary>
public sealed class DroppedFromRoundException(string roundId, int stage, string detail)
    : SecureFedException($"dropped from round {roundId} at stage {stage}: {detail}")
{
    /// <summary>The round.</summary>
    public string RoundId { get; } = roundId;

    /// <summary>The stage the client missed (0..4).</summary>
    public int Stage { get; } = stage;
}
