using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Client;

/// <summary>
/// One state of a client's round (one sealed subclass per protocol round). <see cref="Handle"/> takes a server
/// message and returns the next state with the client's reply; any protocol violation by the server leads to a
/// <see cref="ClientAbortedState"/> with a typed <see cref="AbortReason"/>, never an exception.
/// </summary>
public abstract class ClientState
{
    private bool _consumed;

    private protected ClientState(ClientContext context)
    {
        Context = context;
    }

    internal ClientContext Context { get; }

    /// <summary>The client's id.</summary>
    public uint ClientId => Context.ClientId;

    /// <summary>Name of the state, for logs and progress.</summary>
    public abstract string Name { get; }

    /// <summary>True for <see cref="ClientCompletedState"/> and <see cref="ClientAbortedState"/>.</summary>
    public virtual bool IsTerminal => false;

    /// <summary>Handles one server message. A non-terminal state handles exactly one message: use the returned state next.</summary>
    /// <exception cref="ObjectDisposedException">This state already handled a message (a caller bug).</exception>
    public ClientTransition Handle(ServerMessage message)
    {
        if (!IsTerminal)
        {
            // States hand their secrets on (or wipe them) when they move on, so a used state cannot run again.
            ObjectDisposedException.ThrowIf(_consumed, this);
            _consumed = true;
        }
        if (IsTerminal)
        {
            return new ClientTransition(this, null, $"the client's round is over ({Name}); {message?.GetType().Name ?? "null"} refused");
        }
        if (message is RoundAbortNotice notice)
        {
            return Abort(AbortReason.ServerAborted, $"server aborted the round: {notice.Reason}: {notice.Detail}");
        }
        if (message is null || message.Version != 1)
        {
            return Abort(AbortReason.InvalidServerMessage, "missing message or unsupported version");
        }
        try
        {
            return HandleCore(message);
        }
        catch (ClientAbortException e)
        {
            return Abort(e.Reason, e.Message);
        }
    }

    /// <summary>Decodes and handles a server message; malformed bytes abort the client.</summary>
    public ClientTransition HandleBytes(ReadOnlyMemory<byte> bytes)
    {
        ObjectDisposedException.ThrowIf(_consumed, this);
        ServerMessage message;
        try
        {
            message = Decode(bytes, Context.Limits.MaxServerMessageBytes);
        }
        catch (MalformedMessageException e)
        {
            return IsTerminal ? new ClientTransition(this, null, e.Message) : Abort(AbortReason.InvalidServerMessage, e.Message);
        }
        return Handle(message);
    }

    private protected abstract ClientTransition HandleCore(ServerMessage message);

    // Decodes the server message this state expects; a state may read its message in a cheaper form, but must accept
    // and refuse exactly the bytes MessageCodec.DecodeServerMessage does.
    private protected virtual ServerMessage Decode(ReadOnlyMemory<byte> bytes, int maxBytes) => MessageCodec.DecodeServerMessage(bytes, maxBytes);

    private protected ClientTransition Abort(AbortReason reason, string detail)
    {
        ReleaseSecrets();
        return new ClientTransition(new ClientAbortedState(Context, reason, detail), null);
    }

    /// <summary>Wipes whatever secrets this state still holds.</summary>
    private protected abstract void ReleaseSecrets();

    private protected static ClientAbortException Violation(string detail) => new(AbortReason.InvalidServerMessage, detail);

    /// <inheritdoc />
    public override string ToString() => $"client {ClientId}: {Name}";
}
