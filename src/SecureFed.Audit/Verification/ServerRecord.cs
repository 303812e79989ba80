using SecureFed.Transcripts;
using SecureFed.Protocol.Messages;

namespace SecureFed.Audit.Verification;

// A server-to-client record with its decoded message (null when undecodable).
internal sealed record ServerRecord(int Index, TranscriptRecord Record, ServerMessage? Message)
{
    public uint Recipient => Record.Body.Party;

    // The union code of protocol-spec/secagg.md 2.3 (-1 when undecodable).
    public int Code => Message switch
    {
        KeyDirectory => 0,
        ShareDelivery => 1,
        SurvivorSet => 2,
        UnmaskingRequest => 3,
        RoundAbortNotice => 4,
        _ => -1,
    };
}
