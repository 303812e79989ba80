using SecureFed.Transcripts;
using SecureFed.HeProtocol.Messages;

namespace SecureFed.Audit.Verification.He;

// A ServerToClient record of an HE transcript with its decoded message (null when undecodable) and the number of
// StageClosed records before it (the close that produced it).
internal sealed record HeServerRecord(int Index, TranscriptRecord Record, HeServerMessage? Message, int Close)
{
    public uint Recipient => Record.Body.Party;
}
