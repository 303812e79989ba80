using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Primitives.Vectors;
using SecureFed.Protocol.Client;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Server;

namespace SecureFed.Protocol.Tests;

/// <summary>
/// The round engine split into a root and S shards: for random rounds (seeds, dropouts at every stage, the finder's
/// Harary graph the finder picks for large rosters and the complete graph) the composition with S = 2, 3, 7 sends byte-identical messages at every close
/// and ends with the identical exact sum as the unsharded server (S = 1) and the ServerState view; a shard refuses
/// what the unsharded server refuses; and a shard's partial is not its clients' plain sum.
/// </summary>
public sealed class ShardedRoundTests
{
    private static readonly int[] ShardCounts = [2, 3, 7];

    public static TheoryData<int, bool> Rounds()
    {
        var data = new TheoryData<int, bool>();
        foreach (int seed in new[] { 1, 2, 3, 4, 5, 6, 9 })
        {
            data.Add(seed, true);
            data.Add(seed, false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Rounds))]
    public void Every_shard_count_sends_the_same_bytes_and_ends_with_the_same_exact_sum(int seed, bool harary)
    {
        using var round = new RandomRound(seed, harary);
        var servers = new List<IRoundServer> { new SecAggRoundServer(round.Parameters, minimumClients: 3) };
        servers.AddRange(ShardCounts.Select(s => new SecAggRoundServer(round.Parameters, 3, s)));
        var protocol = new SecAggRoundProtocol();
        servers.Add(new ShardedRoundServer(protocol.StartRoot(round.Parameters.EncodedConfiguration, 3, 4),
            [.. Enumerable.Range(0, 4).Select(i => protocol.StartShard(round.Parameters.EncodedConfiguration, i, 4))]));
        ServerState view = SecAggServer.Start(round.Parameters);

        var envelopes = round.Start();
        for (int stage = 0; servers[0].End is null; stage++)
        {
            foreach (byte[] bytes in round.Senders(envelopes, stage))
            {
                MessageRejection? expected = servers[0].Handle(bytes);
                Assert.Null(expected);
                Assert.All(servers.Skip(1), s => Assert.Null(s.Handle(bytes)));
                Assert.Null(view.HandleBytes(bytes).Rejection);
                Assert.All(servers, s => Assert.Equal(RejectionReason.Duplicate, s.Handle(bytes)!.Reason));
            }
            Assert.All(servers, s => Assert.Equal(servers[0].Progress, s.Progress));
            List<StageClose> closes = [.. servers.Select(s => s.Close())];
            ServerTransition viewed = view.CloseStage();
            view = viewed.Next;
            var reference = Flatten(closes[0].Sent);
            Assert.All(closes.Skip(1), c => AssertSame(reference, Flatten(c.Sent)));
            AssertSame(reference, [.. viewed.Outgoing.SelectMany(o => o.Recipients.Select(r => (r, MessageCodec.EncodeServerMessage(o.Message))))]);
            Assert.All(closes, c => AssertSameEnd(closes[0].End, c.End));
            envelopes = round.Deliver(closes[0].Sent);
        }

        RoundEnd end = servers[0].End!;
        if (end.Result is { } result)
        {
            Assert.Equal(round.Sums(result.Survivors), result.Sums);
            Assert.Equal(result.Sums, Assert.IsType<ServerCompletedState>(view).Result.Sums);
        }
        else
        {
            Assert.Equal(end.Abort!.Reason, (int)Assert.IsType<ServerAbortedState>(view).Reason);
        }
    }

    [Fact]
    public void The_random_rounds_include_completions_with_dropouts_and_aborts()
    {
        // The theory above is only as strong as its rounds: some complete after clients dropped at R2 (so pair masks
        // are removed) and at R4 (so a dropped client's key is rebuilt in a shard), some abort for too few clients,
        // and one aborts because a shard could not rebuild a secret (the root reports the lowest such client).
        int completedWithRebuild = 0;
        var aborts = new HashSet<string>();
        foreach (var row in Rounds())
        {
            using var round = new RandomRound((int)row[0], (bool)row[1]);
            var server = new SecAggRoundServer(round.Parameters, 3, 3);
            var envelopes = round.Start();
            for (int stage = 0; server.End is null; stage++)
            {
                foreach (byte[] bytes in round.Senders(envelopes, stage))
                {
                    Assert.Null(server.Handle(bytes));
                }
                envelopes = round.Deliver(server.Close().Sent);
            }
            if (server.End.Result is { Dropped.Count: > 0 } && round.DroppedAt(4) > 0)
            {
                completedWithRebuild++;
            }
            if (server.End.Abort is { } abort)
            {
                aborts.Add(abort.ReasonName);
            }
        }
        Assert.Equal([nameof(AbortReason.ReconstructionFailed), nameof(AbortReason.TooFewClients)], aborts.Order());
        Assert.True(completedWithRebuild >= 2, $"{completedWithRebuild} rounds completed with dropouts at R2 and R4");
    }

    private static List<(uint Recipient, byte[] Bytes)> Flatten(IEnumerable<SentMessage> sent) =>
        [.. sent.SelectMany(m => m.Recipients.Select(r => (r, m.Bytes)))];

    private static void AssertSame(List<(uint Recipient, byte[] Bytes)> expected, List<(uint Recipient, byte[] Bytes)> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Recipient, actual[i].Recipient);
            Assert.Equal(expected[i].Bytes, actual[i].Bytes);
        }
    }

    private static void AssertSameEnd(RoundEnd? expected, RoundEnd? actual)
    {
        Assert.Equal(expected is null, actual is null);
        if (expected is null)
        {
            return;
        }
        Assert.Equal(expected.Abort, actual!.Abort);
        Assert.Equal(expected.FinalMessage, actual.FinalMessage);
        Assert.Equal(expected.Result?.Sums, actual.Result?.Sums);
        Assert.Equal(expected.Result?.Survivors, actual.Result?.Survivors);
        Assert.Equal(expected.Result?.Dropped, actual.Result?.Dropped);
    }

    // A round of 30 clients with scattered ids and two vectors; the seed picks inputs and who drops at each stage.
    internal sealed class RandomRound : IDisposable
    {
        private readonly Random _rng;
        private readonly DeterministicRandomSource _random;
        private readonly Dictionary<uint, IdentityKeyPair> _identities = [];
        private readonly Dictionary<uint, ClientState> _clients = [];
        private readonly Dictionary<int, HashSet<uint>> _drops = [];

        public RandomRound(int seed, bool harary, int clients = 30)
        {
            _rng = new Random(seed);
            _random = new DeterministicRandomSource(seed);
            uint id = 0;
            foreach (int _ in Enumerable.Range(0, clients))
            {
                id += (uint)_rng.Next(1, 9);
                _identities[id] = IdentityKeyPair.Generate(_random);
            }
            var roundId = new byte[16];
            _random.Fill(roundId);
            var configuration = new RoundConfiguration
            {
                RoundId = roundId,
                Vectors = [new VectorSpec { Length = 12, Bits = 20 }, new VectorSpec { Length = 5, Bits = 64 }],
                Threshold = RoundParameters.MinimumThreshold(clients),
                Roster = [.. _identities.Select(kv => new RosterEntry { ClientId = kv.Key, IdentityKey = kv.Value.PublicKey.Bytes.ToArray() })],
            };
            if (harary)
            {
                // What the finder picks for large rosters (for 30 clients at its defaults it picks the complete graph):
                // a Harary graph of degree 8, threshold a strict majority of the 9 holders.
                configuration.Graph = GraphKind.Harary;
                configuration.GraphDegree = 8;
                configuration.Threshold = RoundParameters.MinimumThreshold(9);
            }
            Parameters = RoundParameters.Create(configuration);
            Inputs = _identities.Keys.ToDictionary(i => i, _ => Parameters.Vectors.Select(v => Enumerable.Range(0, v.Length)
                .Select(_ => (ulong)_rng.NextInt64() & ModularArithmetic.Mask(v.Bits)).ToArray()).ToArray());
            // Up to 4 clients drop at each stage; with every third seed, 16 drop at one stage, which aborts the round.
            int heavy = seed % 3 == 0 ? seed % 5 : -1;
            for (int stage = 0; stage < 5; stage++)
            {
                int count = heavy == stage ? 16 : _rng.Next(0, 5);
                _drops[stage] = [.. _identities.Keys.OrderBy(_ => _rng.Next()).Take(count)];
            }
        }

        public RoundParameters Parameters { get; }

        public Dictionary<uint, ulong[][]> Inputs { get; }

        public int DroppedAt(int stage) => _drops[stage].Count;

        public IdentityKeyPair Identity(uint id) => _identities[id];

        // Clients that dropped out by now (they send nothing more).
        public IEnumerable<uint> Gone => _identities.Keys.Where(id => !_clients.ContainsKey(id));

        public Dictionary<uint, ClientEnvelope> Start()
        {
            var sent = new Dictionary<uint, ClientEnvelope>();
            foreach (var (id, identity) in _identities)
            {
                ClientTransition t = SecAggClient.Start(Parameters, id, identity, [.. Inputs[id].Select(v => v.ToArray())], _random);
                _clients[id] = t.Next;
                sent[id] = t.Outgoing!;
            }
            return sent;
        }

        // The envelopes of the stage from clients that have not dropped, in a seeded order.
        public List<byte[]> Senders(Dictionary<uint, ClientEnvelope> envelopes, int stage)
        {
            foreach (uint id in _drops[stage])
            {
                _clients.Remove(id);
            }
            return [.. envelopes.Where(kv => _clients.ContainsKey(kv.Key)).OrderBy(_ => _rng.Next()).Select(kv => MessageCodec.Encode(kv.Value))];
        }

        public Dictionary<uint, ClientEnvelope> Deliver(IEnumerable<SentMessage> sent)
        {
            var replies = new Dictionary<uint, ClientEnvelope>();
            foreach (SentMessage m in sent)
            {
                foreach (uint r in m.Recipients.Where(_clients.ContainsKey))
                {
                    ClientTransition t = _clients[r].HandleBytes(m.Bytes);
                    _clients[r] = t.Next;
                    if (t.Outgoing is not null)
                    {
                        replies[r] = t.Outgoing;
                    }
                }
            }
            return replies;
        }

        public List<ulong[]> Sums(IEnumerable<uint> survivors)
        {
            List<ulong[]> sums = [.. Parameters.Vectors.Select(v => new ulong[v.Length])];
            foreach (uint id in survivors)
            {
                for (int j = 0; j < sums.Count; j++)
                {
                    ModularArithmetic.AddInPlace(sums[j], Inputs[id][j], Parameters.Vectors[j].Bits);
                }
            }
            return sums;
        }

        public void Dispose()
        {
            foreach (IdentityKeyPair k in _identities.Values)
            {
                k.Dispose();
            }
            _random.Dispose();
        }
    }
}
