using SecureFed.HeProtocol.Messages;
using SecureFed.Protocol.Messages;

namespace SecureFed.HeProtocol.Tests;

// The two outcomes a party state can give a server message: a step forward, or an abort for an invalid message.
internal static class PartySteps
{
    public static HePartyTransition Accept(this HePartyState state, HeServerMessage message)
    {
        var step = state.Handle(message);
        Assert.False(step.Next is HePartyAbortedState, (step.Next as HePartyAbortedState)?.Detail);
        return step;
    }

    // Returns the abort detail.
    public static string Refuse(this HePartyState state, HeServerMessage message)
    {
        var aborted = Assert.IsType<HePartyAbortedState>(state.Handle(message).Next);
        Assert.Equal(AbortReason.InvalidServerMessage, aborted.Reason);
        return aborted.Detail;
    }
}
