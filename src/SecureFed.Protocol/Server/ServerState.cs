using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

/// <summary>
/// One state of the server's round (one sealed subclass per protocol round). <see cref="Handle"/> records one client
/// message or refuses it with a typed <see cref="MessageRejection"/> leaving the state untouched;
/// <see cref="CloseStage"/> ends the stage (all expected messages arrived, or the deadline passed) and returns the
/// next state and the messages to send. No I/O, no clock: the host decides when to close.
/// </summary>
public abstract class ServerState
{
    private protected ServerState(ServerContext context)
    {
        Context = context;
    }

    internal ServerContext Context { get; }

    /// <summary>Name of the state, for logs and progress.</summary>
    public abstract string Name { get; }

    /// <summary>The stage whose messages this state collects, or null in a terminal state.</summary>
    public abstract ProtocolStage? Stage { get; }

    /// <summary>True for <see cref="ServerCompletedState"/> and <see cref="ServerAbortedState"/>.</summary>
    public bool IsTerminal => Stage is null;

    /// <summary>Clients expected to send in this stage.</summary>
    public abstract IReadOnlyCollection<uint> Expected { get; }

    /// <summary>Clients whose message for this stage was accepted.</summary>
    public abstract IReadOnlyCollection<uint> Received { get; }

    /// <summary>True when every expected client has sent; the host may close the stage early.</summary>
    public bool AllExpectedReceived => !IsTerminal && Received.Count == Expected.Count;

    /// <summary>Decodes and handles an envelope, enforcing the stage's size limit before parsing.</summary>
    public ServerTransition HandleBytes(ReadOnlyMemory<byte> bytes)
    {
        if (IsTerminal)
        {
            return Refuse(RejectionReason.RoundClosed, $"the round is over ({Name})");
        }
        long limit = ServerLimits.MaxEnvelopeBytes(Context.Parameters, Stage!.Value);
        if (bytes.Length > limit)
        {
            return Refuse(RejectionReason.Oversized, $"{bytes.Length} bytes exceed the {Stage} limit of {limit} bytes");
        }
        ClientEnvelope envelope;
        try
        {
            envelope = MessageCodec.Decode<ClientEnvelope>(bytes, (int)Math.Min(limit, int.MaxValue));
        }
        catch (MalformedMessageException e)
        {
            return Refuse(RejectionReason.Malformed, e.Message);
        }
        return Handle(envelope);
    }

    /// <summary>Handles one envelope: checks sender, stage, duplicates and signature, then the stage's own rules.</summary>
    public ServerTransition Handle(ClientEnvelope envelope)
    {
        if (IsTerminal)
        {
            return Refuse(RejectionReason.RoundClosed, $"the round is over ({Name})");
        }
        if (envelope is null || envelope.Version != 1 || envelope.Body is null || envelope.Signature is null)
        {
            return Refuse(RejectionReason.Malformed, "missing fields or unsupported version");
        }
        uint sender = envelope.SenderId;
        if (!Context.Parameters.Identities.ContainsKey(sender))
        {
            return Refuse(RejectionReason.UnknownSender, $"client {sender} is not on the roster");
        }
        if (envelope.Stage != Stage)
        {
            return Refuse(RejectionReason.WrongStage, $"a {envelope.Stage} message arrived during {Stage}");
        }
        if (Received.Contains(sender))
        {
            return Refuse(RejectionReason.Duplicate, $"client {sender} already sent its {Stage} message");
        }
        if (!Expected.Contains(sender))
        {
            return Refuse(RejectionReason.NotExpected, $"client {sender} is not part of {Stage} (it dropped out earlier)");
        }
        if (envelope.Body.Length > ServerLimits.MaxEnvelopeBytes(Context.Parameters, Stage!.Value))
        {
            return Refuse(RejectionReason.Oversized, $"body of {envelope.Body.Length} bytes exceeds the {Stage} limit");
        }
        if (!EnvelopeSigning.Verify(Context.Parameters, Context.SigningContext(Stage.Value), envelope))
        {
            return Refuse(RejectionReason.BadSignature, $"the signature of client {sender} does not verify");
        }
        MessageRejection? rejection;
        try
        {
            rejection = Accept(envelope);
        }
        catch (MalformedMessageException e)
        {
            rejection = new MessageRejection(RejectionReason.Malformed, e.Message);
        }
        return new ServerTransition(this, null, rejection);
    }

    /// <summary>Ends the stage and moves on (or aborts when fewer than t clients took part).</summary>
    public abstract ServerTransition CloseStage();

    // Validates the body completely, and only then records it; returns null when accepted.
    private protected abstract MessageRejection? Accept(ClientEnvelope envelope);

    private protected ServerTransition Refuse(RejectionReason reason, string detail) =>
        new(this, null, new MessageRejection(reason, detail));

    private protected ServerTransition Abort(AbortReason reason, string detail, IReadOnlyList<uint> notify)
    {
        var notice = new RoundAbortNotice { Reason = reason, Detail = detail };
        return new ServerTransition(new ServerAbortedState(Context, reason, detail), [new OutgoingMessage(notify, notice)]);
    }

    private protected static uint[] Sorted(IEnumerable<uint> ids) => [.. ids.Order()];

    /// <inheritdoc />
    public override string ToString() => $"server: {Name}";
}
