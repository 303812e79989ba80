using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Client;

// Thrown inside a state's handler to abort; ClientState turns it into a ClientAbortedState. Never escapes.
internal sealed class ClientAbortException(AbortReason reason, string detail) : Exception(detail)
{
    public AbortReason Reason { get; } = reason;
}
