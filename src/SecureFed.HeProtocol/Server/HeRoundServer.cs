using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Server;

namespace SecureFed.HeProtocol.Server;

/// <summary>
/// The HE round's server (<see cref="HeServer"/>'s states) behind the host contract: the states' refusals as they
/// are, the sum as the round's one vector, the contributors as survivors.
/// </summary>
public sealed class HeRoundServer : IRoundServer
{
    private readonly HeRoundParameters _parameters;
    private HeServerState _state;

    /// <summary>A fresh round over <paramref name="parameters"/>.</summary>
    public HeRoundServer(HeRoundParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters;
        _state = HeServer.Start(parameters);
        MaxEnvelopeBytes = Enum.GetValues<HeStage>().Max(s => HeServer.MaxEnvelopeBytes(parameters, s));
    }

    /// <inheritdoc />
    public RoundScheme Scheme => RoundScheme.He;

    /// <inheritdoc />
    public ServerDelivery Delivery => ServerDelivery.LatestClose;

    /// <inheritdoc />
    public ReadOnlyMemory<byte> RoundId => _parameters.Configuration.RoundId;

    /// <inheritdoc />
    public ReadOnlyMemory<byte> Configuration => _parameters.EncodedConfiguration;

    /// <inheritdoc />
    public IReadOnlyDictionary<uint, IdentityPublicKey> Identities => _parameters.Identities;

    /// <inheritdoc />
    public int Threshold => _parameters.Threshold;

    /// <inheritdoc />
    public int StageCount => Enum.GetValues<HeStage>().Length;

    /// <inheritdoc />
    public long MaxEnvelopeBytes { get; }

    /// <inheritdoc />
    public RoundProgress? Progress => _state.Stage is { } stage && End is null
        ? new RoundProgress((int)stage, "H" + (int)stage, _state.Expected.Count, _state.Received.Count)
        : null;

    /// <inheritdoc />
    public RoundEnd? End { get; private set; }

    /// <inheritdoc />
    public uint? ClaimedSender(ReadOnlyMemory<byte> envelope)
    {
        try
        {
            return MessageCodec.Decode<HeEnvelope>(envelope, (int)Math.Min(MaxEnvelopeBytes, int.MaxValue))?.SenderId;
        }
        catch (MalformedMessageException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public MessageRejection? Handle(ReadOnlyMemory<byte> envelope)
    {
        if (End is not null)
        {
            return new MessageRejection(RejectionReason.RoundClosed, "the round is over");
        }
        return _state.HandleBytes(envelope).Rejection;
    }

    /// <inheritdoc />
    public StageClose Close()
    {
        ThrowIfEnded();
        HeServerTransition t = _state.CloseStage();
        _state = t.Next;
        List<SentMessage> sent = [.. t.Outgoing.Select(o => new SentMessage([.. o.Recipients.Order()], MessageCodec.Encode(o.Message)))];
        End = t.Next switch
        {
            HeServerCompletedState done => new RoundEnd(
                new RoundResult([done.Result.Sum], [.. done.Result.Contributors], [.. _parameters.ClientIds.Except(done.Result.Contributors)], done.Attempts),
                null, MessageCodec.Encode<HeServerMessage>(done.Result)),
            HeServerAbortedState aborted => Ended(aborted.Reason, aborted.Detail),
            _ => null,
        };
        return new StageClose(sent, End);
    }

    /// <inheritdoc />
    public StageClose Abort(string detail)
    {
        ThrowIfEnded();
        End = Ended(HeAbortReason.OperatorAborted, detail);
        return new StageClose([new SentMessage([.. _parameters.ClientIds.Order()], End.FinalMessage!)], End);
    }

    private static RoundEnd Ended(HeAbortReason reason, string detail) => new(null, new RoundAbort((int)reason, reason.ToString(), detail),
        MessageCodec.Encode<HeServerMessage>(new HeAbortNotice { Reason = reason, Detail = detail }));

    private void ThrowIfEnded()
    {
        if (End is not null || _state.IsTerminal)
        {
            throw new InvalidOperationException("the round is over");
        }
    }
}
