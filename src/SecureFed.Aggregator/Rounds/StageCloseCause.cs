namespace SecureFed.Aggregator.Rounds;

/// <summary>Why a host closed a round's open stage (both hosts; the label is what logs, traces and metrics carry).</summary>
internal enum StageCloseCause
{
    /// <summary>Every expected sender's message was accepted.</summary>
    AllReceived,

    /// <summary>The stage's deadline passed.</summary>
    Deadline,

    /// <summary>The quiet close rule: the quorum was in and no message was accepted for the stage's quiet period.</summary>
    Quiet,

    /// <summary>A sharded close whose decision was logged before a restart, finished on resume.</summary>
    Resumed,
}

internal static class StageCloseCauses
{
    /// <summary>The cause's label in logs (event 1002), traces and the <c>cause</c> tag of the stages-closed metric.</summary>
    public static string Label(this StageCloseCause cause) => cause switch
    {
        StageCloseCause.AllReceived => "all-received",
        StageCloseCause.Deadline => "deadline",
        StageCloseCause.Quiet => "quiet",
        StageCloseCause.Resumed => "resumed",
        _ => throw new ArgumentOutOfRangeException(nameof(cause), cause, null),
    };
}
