using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Graph;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

/// <summary>
/// The masking round's server (<see cref="SecAggServer"/>'s states) behind the host contract. It adds the one rule the
/// state machine leaves to its host: R0 closing with fewer than the operator's minimum of advertisements aborts the
/// round (<see cref="AbortReason.TooFewClients"/>), so that rule replays with the log like every other close.
/// </summary>
public sealed class SecAggRoundServer : IRoundServer
{
    private readonly RoundParameters _parameters;
    private readonly int _minimumClients;
    private ServerState _state;

    /// <summary>A fresh round over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The round.</param>
    /// <param name="minimumClients">Fewest R0 advertisements for the round to go on.</param>
    public SecAggRoundServer(RoundParameters parameters, int minimumClients)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters;
        _minimumClients = minimumClients;
        _state = SecAggServer.Start(parameters);
        MaxEnvelopeBytes = Enum.GetValues<ProtocolStage>().Max(s => ServerLimits.MaxEnvelopeBytes(parameters, s));
    }

    /// <inheritdoc />
    public RoundScheme Scheme => RoundScheme.Masking;

    /// <inheritdoc />
    public ServerDelivery Delivery => ServerDelivery.OnePerStage;

    /// <inheritdoc />
    public ReadOnlyMemory<byte> RoundId => _parameters.Configuration.RoundId;

    /// <inheritdoc />
    public ReadOnlyMemory<byte> Configuration => _parameters.EncodedConfiguration;

    /// <inheritdoc />
    public IReadOnlyDictionary<uint, IdentityPublicKey> Identities => _parameters.Identities;

    /// <inheritdoc />
    public int Threshold => _parameters.Threshold;

    /// <inheritdoc />
    public int StageCount => Enum.GetValues<ProtocolStage>().Length;

    /// <inheritdoc />
    public long MaxEnvelopeBytes { get; }

    /// <inheritdoc />
    public RoundProgress? Progress => _state.Stage is { } stage && End is null
        ? new RoundProgress((int)stage, ((int)stage).ToString(System.Globalization.CultureInfo.InvariantCulture), _state.Expected.Count, _state.Received.Count)
        : null;

    /// <inheritdoc />
    public RoundEnd? End { get; private set; }

    /// <summary>The round's neighbour graph kind (from its configuration).</summary>
    public GraphKind Graph => _parameters.Configuration.Graph;

    /// <summary>Neighbours per client: the configured k for SecAgg+, roster size - 1 for the complete graph.</summary>
    public int GraphDegree => _parameters.Configuration.Graph == GraphKind.Harary ? _parameters.Configuration.GraphDegree : _parameters.Identities.Count - 1;

    /// <summary>The graph seed (secagg.md 6, <see cref="GraphPermutation.Seed"/>) once R0 closed and fixed the session id; null before.</summary>
    public byte[]? GraphSeed => _state.Context.SessionId is { } session ? GraphPermutation.Seed(session) : null;

    /// <inheritdoc />
    public uint? ClaimedSender(ReadOnlyMemory<byte> envelope)
    {
        try
        {
            return MessageCodec.Decode<ClientEnvelope>(envelope, (int)Math.Min(MaxEnvelopeBytes, int.MaxValue))?.SenderId;
        }
        catch (MalformedMessageException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public MessageRejection? Handle(ReadOnlyMemory<byte> envelope) =>
        End is null ? _state.HandleBytes(envelope).Rejection : new MessageRejection(RejectionReason.RoundClosed, "the round is over");

    /// <inheritdoc />
    public StageClose Close()
    {
        ProtocolStage stage = _state.Stage ?? throw new InvalidOperationException("the round is over");
        ThrowIfEnded();
        if (stage == ProtocolStage.AdvertiseKeys && _state.Received.Count < _minimumClients)
        {
            return Abort(AbortReason.TooFewClients,
                $"{_state.Received.Count} clients advertised keys, fewer than the round's minimum of {_minimumClients}");
        }
        ServerTransition t = _state.CloseStage();
        _state = t.Next;
        List<SentMessage> sent = [.. t.Outgoing.Select(o => new SentMessage([.. o.Recipients.Order()], MessageCodec.EncodeServerMessage(o.Message)))];
        End = t.Next switch
        {
            ServerCompletedState done => new RoundEnd(new RoundResult(done.Result.Sums, done.Result.Survivors, done.Result.Dropped, null), null, null),
            ServerAbortedState aborted => Ended(aborted.Reason, aborted.Detail),
            _ => null,
        };
        return new StageClose(sent, End);
    }

    /// <inheritdoc />
    public StageClose Abort(string detail)
    {
        ThrowIfEnded();
        return Abort(AbortReason.ServerAborted, detail);
    }

    // Ends the round outside the state machine: the notice goes to every client the open stage expected.
    private StageClose Abort(AbortReason reason, string detail)
    {
        uint[] notify = [.. _state.Expected.Order()];
        End = Ended(reason, detail);
        return new StageClose([new SentMessage(notify, End.FinalMessage!)], End);
    }

    private static RoundEnd Ended(AbortReason reason, string detail) => new(null, new RoundAbort((int)reason, reason.ToString(), detail),
        MessageCodec.EncodeServerMessage(new RoundAbortNotice { Reason = reason, Detail = detail }));

    private void ThrowIfEnded()
    {
        if (End is not null)
        {
            throw new InvalidOperationException("the round is over");
        }
    }
}
