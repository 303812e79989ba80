namespace SecureFed.Transcripts;

/// <summary>What a transcript record holds (protocol-spec/transcript.md, "Records").</summary>
public enum TranscriptRecordKind
{
    /// <summary>The first record: format version, aggregator key, round configuration, DP parameters.</summary>
    Header = 0,

    /// <summary>A client's envelope as the server received it (Party = the sender).</summary>
    ClientToServer = 1,

    /// <summary>A server message as sent to one client (Party = the recipient).</summary>
    ServerToClient = 2,

    /// <summary>The published outcome of the round: the sums, survivors and dropped clients, or the abort.</summary>
    Result = 3,

    /// <summary>The last record: the number of records before it (detects truncation).</summary>
    End = 4,

    /// <summary>
    /// HE rounds: the server closed its current stage here (empty payload). With the ClientToServer records it is the
    /// server's log (HeServerLogEntry order), so a verifier can replay the server.
    /// </summary>
    StageClosed = 5,
}
