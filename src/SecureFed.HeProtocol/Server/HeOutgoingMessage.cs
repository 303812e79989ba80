using SecureFed.HeProtocol.Messages;

namespace SecureFed.HeProtocol.Server;

/// <summary>One server message and the client ids it goes to (a broadcast when several).</summary>
public sealed record HeOutgoingMessage(IReadOnlyList<uint> Recipients, HeServerMessage Message);
