using SecureFed.Protocol.Server;

namespace SecureFed.HeProtocol.Server;

/// <summary>The result of an HE server step: the next state, the messages to send and, for a refused message, why.</summary>
public sealed class HeServerTransition : ServerStep<HeServerState, HeOutgoingMessage>
{
    internal HeServerTransition(HeServerState next, IReadOnlyList<HeOutgoingMessage>? outgoing = null, MessageRejection? rejection = null)
        : base(next, outgoing, rejection)
    {
    }
}
