using SecureFed.HeProtocol.Messages;
using SecureFed.Protocol.Parties;

namespace SecureFed.HeProtocol;

/// <summary>A party's step: its next state and the signed envelope to send, if any.</summary>
public sealed class HePartyTransition : PartyStep<HePartyState, HeEnvelope>
{
    internal HePartyTransition(HePartyState next, HeEnvelope? outgoing, string? refusal = null)
        : base(next, outgoing, refusal)
    {
    }
}
