namespace SecureFed.Cluster.Storage;

/// <summary>What an append to a round log did. Only <see cref="Appended"/> means the events are durable.</summary>
public enum RoundLogAppendOutcome
{
    /// <summary>Every event was committed.</summary>
    Appended = 1,

    /// <summary>A sequence number was already taken: another (stale or concurrent) writer of the stream got there first. Nothing was written.</summary>
    SequenceTaken = 2,

    /// <summary>A sequence number would leave a hole in the stream. Nothing was written.</summary>
    SequenceGap = 3,

    /// <summary>No such round in <c>securefed_rounds</c>. Nothing was written.</summary>
    UnknownRound = 4,
}
