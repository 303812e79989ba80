using SecureFed.Primitives.Vectors;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Server;
using static SecureFed.Protocol.Tests.ShardedRoundTests;

namespace SecureFed.Protocol.Tests;

/// <summary>
/// A shard refuses exactly what the unsharded server refuses, with the same typed reason, leaving the round intact;
/// a client routed to the wrong shard is refused; and a shard's unmasked partial is not its clients' plain sum while
/// the total is exact (the pair masks on edges that leave a shard stay in its partial).
/// </summary>
public sealed class ShardRefusalAndPrivacyTests
{
    [Theory]
    [InlineData(true, 3)]
    [InlineData(false, 7)]
    public void At_every_stage_a_sharded_round_refuses_bad_envelopes_with_the_unsharded_reason(bool harary, int shards)
    {
        using var round = new RandomRound(5, harary);
        var one = new SecAggRoundServer(round.Parameters, 3);
        var many = new SecAggRoundServer(round.Parameters, 3, shards);
        var envelopes = round.Start();
        Dictionary<uint, ClientEnvelope> previous = [];
        var reasons = new HashSet<RejectionReason>();
        for (int stage = 0; one.End is null; stage++)
        {
            uint[] goneBefore = [.. round.Gone];
            List<byte[]> honest = round.Senders(envelopes, stage);
            int variant = 0;
            foreach (byte[] bad in BadVariants(round, one, envelopes, previous, goneBefore, (ProtocolStage)stage))
            {
                MessageRejection expected = one.Handle(bad) ?? throw new Xunit.Sdk.XunitException($"the unsharded server accepted bad envelope {variant} at stage {stage}");
                variant++;
                Assert.Equal(expected.Reason, many.Handle(bad)?.Reason);
                reasons.Add(expected.Reason);
            }
            Assert.Equal(0, one.Progress!.Received);
            Assert.Equal(0, many.Progress!.Received);
            foreach (byte[] bytes in honest)
            {
                Assert.Null(one.Handle(bytes));
                Assert.Null(many.Handle(bytes));
            }
            StageClose a = one.Close(), b = many.Close();
            Assert.Equal(a.Sent.SelectMany(m => m.Bytes), b.Sent.SelectMany(m => m.Bytes));
            previous = envelopes;
            envelopes = round.Deliver(a.Sent);
        }
        Assert.NotNull(one.End.Result);
        Assert.Equal(one.End.Result.Sums, many.End!.Result!.Sums);
        Assert.Superset(new HashSet<RejectionReason>
        {
            RejectionReason.Malformed, RejectionReason.Oversized, RejectionReason.UnknownSender, RejectionReason.WrongStage,
            RejectionReason.BadSignature, RejectionReason.NotExpected, RejectionReason.InvalidContent, RejectionReason.WrongLength,
        }, reasons);
        Assert.Equal(RejectionReason.RoundClosed, many.Handle(MessageCodec.Encode(previous.Values.First()))!.Reason);
    }

    [Fact]
    public void A_shard_refuses_a_client_of_another_shard_and_reading_its_report_changes_nothing()
    {
        using var round = new RandomRound(1, harary: false);
        var protocol = new SecAggRoundProtocol();
        byte[] configuration = round.Parameters.EncodedConfiguration.ToArray();
        IRoundShard[] shards = [.. Enumerable.Range(0, 3).Select(i => protocol.StartShard(configuration, i, 3))];
        foreach (var (id, e) in round.Start())
        {
            int home = ShardMap.ShardOf(round.Parameters.Configuration.RoundId, id, 3);
            byte[] bytes = MessageCodec.Encode(e);
            Assert.Equal(RejectionReason.NotExpected, shards[(home + 1) % 3].Handle(bytes)!.Reason);
            Assert.Null(shards[home].Handle(bytes));
        }
        ShardReport report = shards[0].Report();
        Assert.Equal(report.Contributors, shards[0].Report().Contributors);
        Assert.Equal(round.Parameters.ClientIds.Count, shards.Sum(s => s.Received));
        Assert.Throws<InvalidOperationException>(() => shards[0].Apply(new StageDecision(1, [], [], null)));
    }

    [Fact]
    public void A_key_two_shards_clients_both_advertised_keeps_neither_while_one_shard_refuses_the_second()
    {
        using var round = new RandomRound(2, harary: false);
        var envelopes = round.Start();
        var session = round.Parameters.ConfigurationHash.ToArray();
        // Two clients in different shards of 2; the second copies the first's advertised keys.
        uint[] ids = [.. envelopes.Keys.Order()];
        uint first = ids[0];
        uint second = ids.First(id => ShardMap.ShardOf(round.Parameters.Configuration.RoundId, id, 2) != ShardMap.ShardOf(round.Parameters.Configuration.RoundId, first, 2));
        ClientEnvelope copy = EnvelopeSigning.Seal(round.Identity(second), session, second, ProtocolStage.AdvertiseKeys, envelopes[first].Body);
        envelopes[second] = copy;
        var one = new SecAggRoundServer(round.Parameters, 3);
        var two = new SecAggRoundServer(round.Parameters, 3, 2);
        foreach (uint id in ids)
        {
            byte[] bytes = MessageCodec.Encode(envelopes[id]);
            MessageRejection? r1 = one.Handle(bytes);
            Assert.Equal(id == second ? RejectionReason.InvalidContent : null, r1?.Reason);
            Assert.Null(two.Handle(bytes));
        }
        var directoryOne = (KeyDirectory)MessageCodec.DecodeServerMessage(one.Close().Sent[0].Bytes, int.MaxValue);
        var directoryTwo = (KeyDirectory)MessageCodec.DecodeServerMessage(two.Close().Sent[0].Bytes, int.MaxValue);
        Assert.Contains(first, directoryOne.Entries.Select(e => e.SenderId));
        Assert.DoesNotContain(second, directoryOne.Entries.Select(e => e.SenderId));
        Assert.DoesNotContain(first, directoryTwo.Entries.Select(e => e.SenderId));
        Assert.DoesNotContain(second, directoryTwo.Entries.Select(e => e.SenderId));
        Assert.Equal(ids.Length - 2, directoryTwo.Entries.Length);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_shards_unmasked_partial_is_not_its_clients_plain_sum_and_the_partials_add_up_to_the_exact_sum(bool harary)
    {
        using var round = new RandomRound(4, harary);
        const int S = 3;
        var protocol = new SecAggRoundProtocol();
        byte[] configuration = round.Parameters.EncodedConfiguration.ToArray();
        IRoundRoot root = protocol.StartRoot(configuration, 3, S);
        IRoundShard[] shards = [.. Enumerable.Range(0, S).Select(i => protocol.StartShard(configuration, i, S))];
        var envelopes = round.Start();
        ShardResult[] results = [];
        for (int stage = 0; root.End is null; stage++)
        {
            foreach (byte[] bytes in round.Senders(envelopes, stage))
            {
                Assert.Null(shards[ShardMap.ShardOf(root.RoundId.Span, root.ClaimedSender(bytes)!.Value, S)].Handle(bytes));
            }
            (results, StageClose close) = CloseByHand(root, shards);
            envelopes = round.Deliver(close.Sent);
        }
        RoundResult result = root.End.Result!;
        Assert.Equal(round.Sums(result.Survivors), result.Sums);
        Assert.NotEmpty(result.Dropped);
        for (int s = 0; s < S; s++)
        {
            uint[] group = [.. result.Survivors.Where(id => ShardMap.ShardOf(root.RoundId.Span, id, S) == s)];
            Assert.NotEmpty(group);
            List<ulong[]> plain = round.Sums(group);
            ulong[][] partial = results[s].Partial!;
            // The shard's survivors have surviving neighbours in other shards, so their pair masks remain.
            Assert.False(plain.Zip(partial).All(p => p.First.SequenceEqual(p.Second)), $"shard {s}'s partial is its clients' plain sum");
        }
    }

    [Fact]
    public void Each_part_rebuilt_from_its_own_event_log_in_mid_round_finishes_the_round_the_same()
    {
        using var round = new RandomRound(4, harary: true);
        const int S = 3;
        var protocol = new SecAggRoundProtocol();
        byte[] configuration = round.Parameters.EncodedConfiguration.ToArray();
        var parts = new LoggedParts(protocol, configuration, S);
        var envelopes = round.Start();
        LoggedParts? rebuilt = null;
        List<byte[]> closes = [];
        for (int stage = 0; parts.Root.End is null; stage++)
        {
            if (stage == 3)
            {
                rebuilt = parts.Replayed(protocol, configuration); // a failover before R3's messages arrive
            }
            foreach (byte[] bytes in round.Senders(envelopes, stage))
            {
                Assert.Null(parts.Handle(bytes));
                Assert.Null(rebuilt?.Handle(bytes));
            }
            StageClose close = parts.Close();
            closes.Add([.. close.Sent.SelectMany(m => m.Bytes)]);
            if (rebuilt is not null)
            {
                Assert.Equal(closes[^1], rebuilt.Close().Sent.SelectMany(m => m.Bytes));
            }
            envelopes = round.Deliver(close.Sent);
        }
        Assert.Equal(round.Sums(parts.Root.End.Result!.Survivors), parts.Root.End.Result.Sums);
        Assert.Equal(parts.Root.End.Result.Sums, rebuilt!.Root.End!.Result!.Sums);
    }

    // A root and S shards that log their own inputs (their events), and can be rebuilt each from its own log alone.
    private sealed class LoggedParts
    {
        private readonly List<object>[] _shardLogs;
        private readonly List<object> _rootLog = [];

        public LoggedParts(SecAggRoundProtocol protocol, byte[] configuration, int shards)
        {
            Root = protocol.StartRoot(configuration, 3, shards);
            Shards = [.. Enumerable.Range(0, shards).Select(i => protocol.StartShard(configuration, i, shards))];
            _shardLogs = [.. Enumerable.Range(0, shards).Select(_ => new List<object>())];
        }

        public IRoundRoot Root { get; }

        public IRoundShard[] Shards { get; }

        public MessageRejection? Handle(byte[] bytes)
        {
            int s = ShardMap.ShardOf(Root.RoundId.Span, Root.ClaimedSender(bytes)!.Value, Shards.Length);
            MessageRejection? r = Shards[s].Handle(bytes);
            if (r is null)
            {
                _shardLogs[s].Add(bytes);
            }
            return r;
        }

        public StageClose Close()
        {
            ShardReport[] reports = [.. Shards.Select(s => s.Report())];
            _rootLog.Add(reports);
            StageDecision decision = Root.Decide(reports);
            var results = new ShardResult?[Shards.Length];
            var batches = new List<ShardBatch>();
            foreach (IRoundShard shard in Shards)
            {
                _shardLogs[shard.Shard].Add(decision);
                ShardStep step = shard.Apply(decision);
                results[shard.Shard] = step.Result;
                batches.AddRange(step.Batches);
            }
            foreach (ShardBatch batch in batches)
            {
                _shardLogs[batch.To].Add(batch);
                results[batch.To] = Shards[batch.To].Receive(batch) ?? results[batch.To];
            }
            ShardResult[] complete = [.. results.Select(r => r!)];
            _rootLog.Add(complete);
            return Root.Complete(complete);
        }

        public LoggedParts Replayed(SecAggRoundProtocol protocol, byte[] configuration)
        {
            var fresh = new LoggedParts(protocol, configuration, Shards.Length);
            for (int s = 0; s < Shards.Length; s++)
            {
                foreach (object e in _shardLogs[s])
                {
                    _ = e switch
                    {
                        byte[] envelope => fresh.Handle(envelope) is null ? 0 : throw new Xunit.Sdk.XunitException("a logged envelope was refused on replay"),
                        StageDecision d => fresh.Shards[s].Apply(d).Batches.Length,
                        ShardBatch b => fresh.Shards[s].Receive(b) is null ? 0 : 1,
                        _ => throw new InvalidOperationException(),
                    };
                    if (e is not byte[])
                    {
                        fresh._shardLogs[s].Add(e);
                    }
                }
            }
            foreach (object e in _rootLog)
            {
                _ = e switch
                {
                    ShardReport[] reports => fresh.Root.Decide(reports).Close,
                    ShardResult[] results => fresh.Root.Complete(results).Sent.Count,
                    _ => throw new InvalidOperationException(),
                };
                fresh._rootLog.Add(e);
            }
            return fresh;
        }
    }

    // One close through the contract, step by step, keeping the shards' results.
    private static (ShardResult[] Results, StageClose Close) CloseByHand(IRoundRoot root, IRoundShard[] shards)
    {
        StageDecision decision = root.Decide([.. shards.Select(s => s.Report())]);
        var results = new ShardResult?[shards.Length];
        var batches = new List<ShardBatch>();
        foreach (IRoundShard shard in shards)
        {
            ShardStep step = shard.Apply(decision);
            results[shard.Shard] = step.Result;
            batches.AddRange(step.Batches);
        }
        foreach (ShardBatch batch in batches.OrderByDescending(b => b.From))
        {
            results[batch.To] = shards[batch.To].Receive(batch) ?? results[batch.To];
            Assert.Equal(results[batch.To], shards[batch.To].Receive(batch) ?? results[batch.To]); // a redelivery changes nothing
        }
        ShardResult[] complete = [.. results.Select(r => r ?? throw new Xunit.Sdk.XunitException("a shard did not complete"))];
        return (complete, root.Complete(complete));
    }

    // Envelopes the server must refuse at this stage, each for one reason; built from the stage's honest envelopes.
    private static List<byte[]> BadVariants(RandomRound round, SecAggRoundServer server, Dictionary<uint, ClientEnvelope> honest,
        Dictionary<uint, ClientEnvelope> previous, uint[] gone, ProtocolStage stage)
    {
        byte[] context = stage == ProtocolStage.AdvertiseKeys
            ? round.Parameters.ConfigurationHash.ToArray()
            : ((SecAggRoundRoot)server.Composition.Root).Context.SessionId!;
        var (sender, e) = honest.OrderBy(kv => kv.Key).First();
        uint other = honest.Keys.Order().Last();
        var bad = new List<byte[]>
        {
            new byte[] { 0xc1, 0x00 },
            new byte[server.MaxEnvelopeBytes + 1],
            MessageCodec.Encode(new ClientEnvelope { SenderId = 999_999, Stage = e.Stage, Body = e.Body, Signature = e.Signature }),
            MessageCodec.Encode(new ClientEnvelope { SenderId = other, Stage = e.Stage, Body = e.Body, Signature = e.Signature }),
            MessageCodec.Encode(new ClientEnvelope { SenderId = sender, Stage = e.Stage, Body = e.Body, Signature = [.. e.Signature.Select((b, i) => i == 0 ? (byte)(b ^ 1) : b)] }),
            MessageCodec.Encode(EnvelopeSigning.Seal(round.Identity(sender), context, sender, stage, e.Body[..^1])),
        };
        if (previous.Count > 0)
        {
            bad.Add(MessageCodec.Encode(previous.Values.First()));
        }
        if (gone.Length > 0)
        {
            bad.Add(MessageCodec.Encode(EnvelopeSigning.Seal(round.Identity(gone[0]), context, gone[0], stage, e.Body)));
        }
        if (stage == ProtocolStage.MaskedInputCollection)
        {
            var body = MessageCodec.Decode<MaskedInput>(e.Body, e.Body.Length);
            byte[] shorter = MessageCodec.Encode(new MaskedInput { Vectors = [body.Vectors[0][..^4], body.Vectors[1]] });
            bad.Add(MessageCodec.Encode(EnvelopeSigning.Seal(round.Identity(sender), context, sender, stage, shorter)));
            byte[] tooLarge = [.. body.Vectors[0]];
            tooLarge[2] = 0xff; // 20-bit elements in 3 bytes: 0xff in the top byte is not below 2^20
            bad.Add(MessageCodec.Encode(EnvelopeSigning.Seal(round.Identity(sender), context, sender, stage,
                MessageCodec.Encode(new MaskedInput { Vectors = [tooLarge, body.Vectors[1]] }))));
        }
        if (stage == ProtocolStage.ShareKeys)
        {
            var body = MessageCodec.Decode<ShareKeys>(e.Body, e.Body.Length);
            bad.Add(MessageCodec.Encode(EnvelopeSigning.Seal(round.Identity(sender), context, sender, stage,
                MessageCodec.Encode(new ShareKeys { Shares = [.. body.Shares.Reverse()] }))));
        }
        return bad;
    }
}
