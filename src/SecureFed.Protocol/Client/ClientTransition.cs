using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Parties;

namespace SecureFed.Protocol.Client;

/// <summary>The result of a client handling one server message: its next state and what it sends, if anything.</summary>
public sealed class ClientTransition : PartyStep<ClientState, ClientEnvelope>
{
    internal ClientTransition(ClientState next, ClientEnvelope? outgoing, string? refusal = null)
        : base(next, outgoing, refusal)
    {
    }
}
