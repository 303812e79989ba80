using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Parties;

namespace SecureFed.Protocol.Client;

/// <summary>
/// One state of a client's masking round (one sealed subclass per protocol round), a
/// <see cref="PartyState{TState, TMessage, TStep}"/>: any protocol violation by the server leads to a
/// <see cref="ClientAbortedState"/> with a typed <see cref="AbortReason"/>, never an exception.
/// </summary>
public abstract class ClientState : PartyState<ClientState, ServerMessage, ClientTransition>
{
    private protected ClientState(ClientContext context)
        : base(context.ClientId)
    {
        Context = context;
    }

    internal ClientContext Context { get; }

    /// <summary>Decodes and handles a server message; malformed bytes abort the client.</summary>
    public ClientTransition HandleBytes(ReadOnlyMemory<byte> bytes)
    {
        ObjectDisposedException.ThrowIf(IsConsumed, this);
        ServerMessage message;
        try
        {
            message = Decode(bytes, Context.Limits.MaxServerMessageBytes);
        }
        catch (MalformedMessageException e)
        {
            return IsTerminal ? Refused(e.Message) : Abort(AbortReason.InvalidServerMessage, e.Message);
        }
        return Handle(message);
    }

    private protected abstract ClientTransition HandleCore(ServerMessage message);

    // Decodes the server message this state expects; a state may read its message in a cheaper form, but must accept
    // and refuse exactly the bytes MessageCodec.DecodeServerMessage does.
    private protected virtual ServerMessage Decode(ReadOnlyMemory<byte> bytes, int maxBytes) => MessageCodec.DecodeServerMessage(bytes, maxBytes);

    /// <summary>Wipes whatever secrets this state still holds.</summary>
    private protected abstract void ReleaseSecrets();

    private protected static ClientAbortException Violation(string detail) => new(AbortReason.InvalidServerMessage, detail);

    /// <inheritdoc />
    protected sealed override ClientTransition? Next(ServerMessage message)
    {
        try
        {
            return HandleCore(message);
        }
        catch (ClientAbortException e)
        {
            return Abort(e.Reason, e.Message);
        }
    }

    /// <inheritdoc />
    protected sealed override string? AbortNotice(ServerMessage message) =>
        message is RoundAbortNotice notice ? $"{notice.Reason}: {notice.Detail}" : null;

    /// <inheritdoc />
    protected sealed override int VersionOf(ServerMessage message) => message.Version;

    /// <inheritdoc />
    protected sealed override ClientTransition Aborted(AbortReason reason, string detail) =>
        new(new ClientAbortedState(Context, reason, detail), null);

    /// <inheritdoc />
    protected sealed override ClientTransition Refused(string refusal) => new(this, null, refusal);

    /// <inheritdoc />
    protected sealed override void Wipe() => ReleaseSecrets();
}
