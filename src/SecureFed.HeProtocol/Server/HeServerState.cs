using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Server;

namespace SecureFed.HeProtocol.Server;

/// <summary>
/// One state of the server's HE round (one sealed subclass per stage). <see cref="Handle"/> records one party
/// message or refuses it with a typed <see cref="MessageRejection"/>, leaving the state untouched;
/// <see cref="CloseStage"/> ends the stage (everything expected arrived, or the host's deadline passed) and returns
/// the next state and the messages to send. No I/O, no clock, no randomness: the state is a function of the
/// accepted messages and the close calls, so a host can rebuild it with <see cref="HeServer.Replay"/>.
/// </summary>
public abstract class HeServerState
{
    private protected HeServerState(HeRoundParameters parameters)
    {
        Parameters = parameters;
    }

    /// <summary>The round.</summary>
    public HeRoundParameters Parameters { get; }

    /// <summary>Name of the state, for logs.</summary>
    public abstract string Name { get; }

    /// <summary>The stage whose messages this state collects, or null in a terminal state.</summary>
    public abstract HeStage? Stage { get; }

    /// <summary>True for the completed and aborted states.</summary>
    public bool IsTerminal => Stage is null;

    /// <summary>Parties expected to send in this stage (client ids).</summary>
    public abstract IReadOnlyCollection<uint> Expected { get; }

    /// <summary>Parties whose message for this stage was accepted.</summary>
    public abstract IReadOnlyCollection<uint> Received { get; }

    /// <summary>Decodes and handles an envelope, enforcing the stage's size limit before parsing.</summary>
    public HeServerTransition HandleBytes(ReadOnlyMemory<byte> bytes) => HandleBytes(bytes, null, out _);

    // The same, for a shard (HeRoundShard): `owner` refuses a roster member of another shard right after the roster
    // check; `accepted` is the envelope when the state took it.
    internal HeServerTransition HandleBytes(ReadOnlyMemory<byte> bytes, Func<uint, MessageRejection?>? owner, out HeEnvelope? accepted)
    {
        accepted = null;
        if (IsTerminal)
        {
            return Refuse(RejectionReason.RoundClosed, $"the round is over ({Name})");
        }
        long limit = HeServerLimits.MaxEnvelopeBytes(Parameters, Stage!.Value);
        if (bytes.Length > limit)
        {
            return Refuse(RejectionReason.Oversized, $"{bytes.Length} bytes exceed the {Stage} limit of {limit} bytes");
        }
        HeEnvelope envelope;
        try
        {
            envelope = MessageCodec.Decode<HeEnvelope>(bytes, (int)Math.Min(limit, int.MaxValue));
        }
        catch (MalformedMessageException e)
        {
            return Refuse(RejectionReason.Malformed, e.Message);
        }
        HeServerTransition t = Checked(envelope, owner);
        accepted = t.Rejection is null ? envelope : null;
        return t;
    }

    /// <summary>Handles one envelope: sender, stage, duplicates, size and signature, then the stage's own rules.</summary>
    public HeServerTransition Handle(HeEnvelope envelope) => Checked(envelope, null);

    private HeServerTransition Checked(HeEnvelope envelope, Func<uint, MessageRejection?>? owner)
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
        if (!Parameters.Identities.ContainsKey(sender))
        {
            return Refuse(RejectionReason.UnknownSender, $"client {sender} is not on the roster");
        }
        if (owner?.Invoke(sender) is { } elsewhere)
        {
            return new HeServerTransition(this, null, elsewhere);
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
            return Refuse(RejectionReason.NotExpected, $"client {sender} is not expected in {Stage}");
        }
        if (envelope.Body.Length > HeServerLimits.MaxEnvelopeBytes(Parameters, Stage!.Value))
        {
            return Refuse(RejectionReason.Oversized, $"body of {envelope.Body.Length} bytes exceeds the {Stage} limit");
        }
        if (!HeEnvelopeSigning.Verify(Parameters, envelope))
        {
            return Refuse(RejectionReason.BadSignature, $"the signature of client {sender} does not verify for this round and stage");
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
        return new HeServerTransition(this, null, rejection);
    }

    /// <summary>Ends the stage and moves on, or aborts when the round cannot continue.</summary>
    public abstract HeServerTransition CloseStage();

    // Validates the body completely and only then records it; returns null when accepted.
    private protected abstract MessageRejection? Accept(HeEnvelope envelope);

    private protected HeServerTransition Refuse(RejectionReason reason, string detail) => new(this, null, new MessageRejection(reason, detail));

    private protected HeServerTransition Abort(HeAbortReason reason, string detail)
    {
        var notice = new HeAbortNotice { Reason = reason, Detail = detail };
        return new HeServerTransition(new HeServerAbortedState(Parameters, reason, detail), [new HeOutgoingMessage(Parameters.ClientIds, notice)]);
    }

    /// <inheritdoc />
    public override string ToString() => $"he server: {Name}";
}
