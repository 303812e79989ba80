using SecureFed.Transcripts;
using SecureFed.Protocol.Messages;

namespace SecureFed.Audit.Verification;

// A client-to-server record with its decoded envelope (null when undecodable) and whether its signature verified.
internal sealed record ClientMessage(int Index, TranscriptRecord Record, ClientEnvelope? Envelope, bool SignatureValid, string? Problem);
