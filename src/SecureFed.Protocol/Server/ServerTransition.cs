namespace SecureFed.Protocol.Server;

/// <summary>The result of a masking server step: the next state, the messages to send and, for a refused message, why.</summary>
public sealed class ServerTransition : ServerStep<ServerState, OutgoingMessage>
{
    internal ServerTransition(ServerState next, IReadOnlyList<OutgoingMessage>? outgoing = null, MessageRejection? rejection = null)
        : base(next, outgoing, rejection)
    {
    }
}
