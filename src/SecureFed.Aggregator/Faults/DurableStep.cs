namespace SecureFed.Aggregator.Faults;

/// <summary>The round store's commits that a kill can follow (each is one SQLite transaction).</summary>
internal enum DurableStep
{
    /// <summary>An accepted envelope was appended to the round's log (before the client got its answer).</summary>
    EnvelopeLogged,

    /// <summary>A stage close that did not end the round was appended to the log (before its messages were published).</summary>
    StageCloseLogged,

    /// <summary>The close that ended the round committed its outcome (before the round's end was published).</summary>
    OutcomeStored,
}
