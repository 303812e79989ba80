using SecureFed.Transcripts;
using SecureFed.HeProtocol.Messages;

namespace SecureFed.Audit.Verification.He;

// A ClientToServer record of an HE transcript: the decoded envelope and stage body (null when undecodable), and
// whether it is valid (sender = Party, enrolled, signed for this round and stage, body of the stage's type).
internal sealed record HeClientRecord(int Index, TranscriptRecord Record, HeEnvelope? Envelope, object? Body, string? Problem)
{
    public bool Valid => Problem is null;

    public uint Sender => Record.Body.Party;
}
