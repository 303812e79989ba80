using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Server;

namespace SecureFed.HeProtocol.Server;

/// <summary>
/// One shard of an HE round (he.md 10): it checks the envelopes of the clients <see cref="ShardMap"/> puts in it with
/// the unsharded server's own states and typed refusals. In H2 it verifies every upload (shape, commitment, signature)
/// and adds it to its partial sum at once, as the unsharded server does; it reports the uploads' openings and, applying
/// the H2 close, hands the root its partial sum (a ciphertext under the collective key, never decrypted alone). In the
/// decryptors' stages it reports the envelopes it took, which the root's states take again. It routes nothing.
/// </summary>
internal sealed class HeRoundShard : IRoundShard
{
    private readonly HeRoundParameters _parameters;
    // Shard of every roster client (SHA-256 each, so computed once; null with one shard, where it is always 0).
    private readonly Dictionary<uint, int>? _shardOf;
    // The decryptors' stages: the accepted envelopes' bytes by sender (what the root's state takes again).
    private readonly SortedDictionary<uint, byte[]> _envelopes = [];
    private readonly Func<uint, MessageRejection?> _owner;
    // The stage's checks (the server's own state for it), or null once the shard collects nothing.
    private HeServerState? _state;
    private int _close;

    public HeRoundShard(HeRoundParameters parameters, int shard, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shard, shardCount);
        _parameters = parameters;
        Shard = shard;
        ShardCount = shardCount;
        _shardOf = shardCount == 1 ? null : parameters.ClientIds.ToDictionary(id => id, id => ShardMap.ShardOf(parameters.Configuration.RoundId, id, shardCount));
        _owner = Owner;
        _state = HeServer.Start(parameters);
    }

    public RoundScheme Scheme => RoundScheme.He;

    public int Shard { get; }

    public int ShardCount { get; }

    public int? OpenClose => _state is null ? null : _close;

    public int Received => _state?.Received.Count ?? 0;

    public MessageRejection? Handle(ReadOnlyMemory<byte> envelope)
    {
        if (_state is not { } state)
        {
            return new MessageRejection(RejectionReason.RoundClosed, "the round is over");
        }
        HeServerTransition t = state.HandleBytes(envelope, _owner, out HeEnvelope? accepted);
        if (t.Rejection is { } rejection)
        {
            return rejection;
        }
        if (state is not HeServerH2UploadState)
        {
            _envelopes.Add(accepted!.SenderId, envelope.ToArray());
        }
        return null;
    }

    public ShardReport Report()
    {
        HeServerState state = _state ?? throw new InvalidOperationException("the shard collects no stage");
        uint[] contributors = [.. state.Received.Order()];
        byte[][] items = state is HeServerH2UploadState uploads
            ? [.. uploads.Openings.Select(o => MessageCodec.Encode(o))]
            : [.. _envelopes.Values];
        return new ShardReport(Shard, _close, contributors, items);
    }

    public ShardStep Apply(StageDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        HeServerState state = _state ?? throw new InvalidOperationException("the shard collects no stage");
        if (decision.Close != _close)
        {
            throw new InvalidOperationException($"a decision for close {decision.Close} while the shard collects close {_close}");
        }
        ulong[][]? partial = null;
        if (decision.Abort is not null)
        {
            _state = null;
        }
        else
        {
            switch (state)
            {
                case HeServerH0KeyAdvertisementState:
                    var list = MessageCodec.Decode<HeServerMessage>(decision.Broadcast, decision.Broadcast.Length) as AdvertisementList
                        ?? throw new InvalidOperationException("the H0 close's broadcast is not an advertisement list");
                    _state = new HeServerH1KeySharesState(_parameters, new SortedDictionary<uint, HeEnvelope>(list.Advertisements.ToDictionary(e => e.SenderId)));
                    break;
                case HeServerH1KeySharesState:
                    _state = new HeServerH2UploadState(_parameters, decision.Members);
                    break;
                case HeServerH2UploadState uploads:
                    partial = HePartialSum.Write(uploads.Sum);
                    _state = Checker(decision.Broadcast);
                    break;
                default:
                    // An H3 attempt closed: another attempt, or (no broadcast) the decryption is over.
                    _state = decision.Broadcast.Length == 0 ? null : Checker(decision.Broadcast);
                    break;
            }
        }
        _envelopes.Clear();
        _close++;
        return new ShardStep([], new ShardResult(Shard, decision.Close, [], partial, null));
    }

    public ShardResult? Receive(ShardBatch batch) => throw new InvalidOperationException("an HE shard routes nothing");

    private HeServerH3DecryptionState Checker(byte[] broadcast)
    {
        (int attempt, int[] participants) = HeShardBroadcast.ReadAttempt(broadcast);
        return HeServerH3DecryptionState.ShareChecker(_parameters, attempt, participants);
    }

    private MessageRejection? Owner(uint client)
    {
        int shard = _shardOf is null ? 0 : _shardOf.GetValueOrDefault(client);
        return shard == Shard ? null : new MessageRejection(RejectionReason.NotExpected, $"client {client} belongs to shard {shard}, not {Shard}");
    }
}
