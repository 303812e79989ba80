using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

/// <summary>One server message and the clients it goes to (a broadcast when several).</summary>
public sealed record OutgoingMessage(IReadOnlyList<uint> Recipients, ServerMessage Message);
