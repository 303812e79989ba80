using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.Lattice.Multiparty;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;

namespace SecureFed.HeProtocol.Server;

/// <summary>
/// The HE round's root (he.md 10) over S <see cref="HeRoundShard"/>s: it runs the server's own states for the
/// decryptors' stages (H0 advertisements, H1 key shares, H3 decryption shares), fed with the envelopes the shards
/// checked and reported, and at the H2 close adds the S partial ciphertext sums and asks for their decryption exactly
/// as the unsharded server does. Every upload is checked and added in its client's shard; the root sees only the
/// uploads' openings (what every decryption request carries anyway) and the shards' partial sums, each a ciphertext
/// under the collective key. Closes are numbered 0, 1, 2, ... (one per H3 attempt), which <see cref="OpenClose"/> reports.
/// </summary>
internal sealed class HeRoundRoot : IRoundRoot
{
    private readonly HeRoundParameters _parameters;
    private HeServerState _state;
    private int _close;
    private Decided? _decided;

    public HeRoundRoot(HeRoundParameters parameters, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        _parameters = parameters;
        ShardCount = shardCount;
        _state = HeServer.Start(parameters);
        MaxEnvelopeBytes = Enum.GetValues<HeStage>().Max(s => HeServer.MaxEnvelopeBytes(parameters, s));
    }

    // A decided close: its transition, or (H2 going on) the uploads whose sum the shards' results complete.
    private sealed record Decided(int Close, HeServerTransition? Transition, OpenedUpload[]? Uploads);

    public RoundScheme Scheme => RoundScheme.He;

    public ServerDelivery Delivery => ServerDelivery.LatestClose;

    public ReadOnlyMemory<byte> RoundId => _parameters.Configuration.RoundId;

    public ReadOnlyMemory<byte> Configuration => _parameters.EncodedConfiguration;

    public IReadOnlyDictionary<uint, IdentityPublicKey> Identities => _parameters.Identities;

    public int Threshold => _parameters.Threshold;

    public int StageCount => Enum.GetValues<HeStage>().Length;

    public long MaxEnvelopeBytes { get; }

    public int ShardCount { get; }

    public RoundEnd? End { get; private set; }

    public int? OpenClose => _state.Stage is not null && End is null && _decided is null ? _close : null;

    public RoundProgress? Progress(int received) => _state.Stage is { } stage && End is null && _decided is null
        ? new RoundProgress((int)stage, "H" + (int)stage, _state.Expected.Count, received)
        : null;

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

    public StageDecision Decide(IReadOnlyList<ShardReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        HeStage stage = OpenStage();
        if (_decided is not null)
        {
            throw new InvalidOperationException($"close {_close} is already decided");
        }
        if (reports.Count != ShardCount || reports.Select(r => r.Shard).Distinct().Count() != ShardCount
            || reports.Any(r => r.Shard < 0 || r.Shard >= ShardCount || r.Close != _close || r.Items.Length != r.Contributors.Length))
        {
            throw new InvalidOperationException($"expected one report with one item per contributor from each of {ShardCount} shards for close {_close}");
        }
        uint[] members = [.. reports.SelectMany(r => r.Contributors).Order()];
        (uint Id, byte[] Item)[] items = [.. reports.SelectMany(r => r.Contributors.Zip(r.Items)).OrderBy(x => x.First)];
        if (_state is HeServerH2UploadState uploads)
        {
            OpenedUpload[] openings = [.. items.Select(x => MessageCodec.Decode<OpenedUpload>(x.Item, x.Item.Length))];
            if (openings.Where((o, i) => o.ClientId != items[i].Id).Any())
            {
                throw new InvalidOperationException("a shard reported an upload's opening under another client");
            }
            if (!uploads.Enough(openings.Length))
            {
                HeServerTransition aborting = uploads.Close(openings, () => throw new InvalidOperationException("an aborting close needs no sum"));
                _decided = new Decided(_close, aborting, null);
                return Decision(members, aborting);
            }
            // Going on, the transition needs the sum the shards' results carry (Complete).
            _decided = new Decided(_close, null, openings);
            return new StageDecision(_close, members, HeShardBroadcast.Attempt(1, uploads.FirstParticipants()), null);
        }
        // The decryptors' stages: the shards checked every envelope as the unsharded server does; the root's state
        // takes them again (in ascending sender order: each stage keeps them sorted, so arrival order never matters).
        foreach ((uint id, byte[] envelope) in items)
        {
            if (_state.HandleBytes(envelope).Rejection is { } refused)
            {
                throw new InvalidOperationException($"a shard reported an envelope of client {id} the round refuses: {refused}");
            }
        }
        HeServerTransition t = _state.CloseStage();
        _decided = new Decided(_close, t, null);
        return Decision(members, t);
    }

    public StageClose Complete(IReadOnlyList<ShardResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        OpenStage();
        Decided decided = _decided ?? throw new InvalidOperationException($"close {_close} is not decided");
        if (results.Count != ShardCount || results.Select(r => r.Shard).Distinct().Count() != ShardCount
            || results.Any(r => r.Shard < 0 || r.Shard >= ShardCount || r.Close != decided.Close))
        {
            throw new InvalidOperationException($"expected one result from each of {ShardCount} shards for close {decided.Close}");
        }
        HeServerTransition t = decided.Transition ?? ((HeServerH2UploadState)_state).Close(decided.Uploads!, () => SumOf(results));
        _state = t.Next;
        _decided = null;
        _close++;
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

    public StageClose Abort(string detail)
    {
        OpenStage();
        End = Ended(HeAbortReason.OperatorAborted, detail);
        return new StageClose([new SentMessage([.. _parameters.ClientIds.Order()], End.FinalMessage!)], End);
    }

    // What the shards go on with: the round's abort; H0 → H1 the advertisement list (the advertised decryptors and
    // the recipients of every key share); H1 → H2 nothing (the members are the final decryptors); an H3 attempt its
    // number and participants; the decryption's end nothing (the shards stop).
    private StageDecision Decision(uint[] members, HeServerTransition t) => t.Next switch
    {
        HeServerAbortedState a => new StageDecision(_close, [], [], new RoundAbort((int)a.Reason, a.Reason.ToString(), a.Detail)),
        HeServerH1KeySharesState => new StageDecision(_close, members, MessageCodec.Encode(t.Outgoing[0].Message), null),
        HeServerH3DecryptionState h3 => new StageDecision(_close, members, HeShardBroadcast.Attempt(h3.Attempt, [.. h3.Participants]), null),
        _ => new StageDecision(_close, members, [], null),
    };

    // The S partial sums added: each is the serialized ciphertext vector of its shard's uploads (none: empty), added
    // as the unsharded server adds uploads (mod each prime, so the order of the shards does not matter).
    private IReadOnlyList<Lattice.Bfv.Ciphertext> SumOf(IReadOnlyList<ShardResult> results)
    {
        var sum = new UploadAccumulator(_parameters.Plan);
        foreach (ShardResult r in results.OrderBy(r => r.Shard))
        {
            if (r.Partial is null)
            {
                throw new InvalidOperationException($"shard {r.Shard} sent no partial sum for the H2 close");
            }
            if (HePartialSum.Read(r.Partial) is { Length: > 0 } bytes)
            {
                try
                {
                    sum.Add(bytes);
                }
                catch (Lattice.Bfv.HeFormatException e)
                {
                    throw new InvalidOperationException($"shard {r.Shard}'s partial sum is not a ciphertext vector of the round: {e.Message}");
                }
            }
        }
        return sum.Sum;
    }

    private static RoundEnd Ended(HeAbortReason reason, string detail) => new(null, new RoundAbort((int)reason, reason.ToString(), detail),
        MessageCodec.Encode<HeServerMessage>(new HeAbortNotice { Reason = reason, Detail = detail }));

    private HeStage OpenStage() => End is null && _state.Stage is { } stage ? stage : throw new InvalidOperationException("the round is over");
}
