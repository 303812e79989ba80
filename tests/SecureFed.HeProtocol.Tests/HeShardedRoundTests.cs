using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Server;
using SecureFed.HeProtocol.Simulation;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Server;

namespace SecureFed.HeProtocol.Tests;

/// <summary>
/// The HE round split into a root and S shards (<see cref="HeRoundServer"/> over <see cref="ShardedRoundServer"/>,
/// what a cluster runs as grains): fed the simulator's server log, every close sends the very bytes the server's own
/// states send (the unsharded engine), and the round ends with the same result, for any S and any dropout pattern.
/// </summary>
public sealed class HeShardedRoundTests
{
    private static readonly int[] ShardCounts = [1, 2, 3, 5];

    public static TheoryData<string> Scenarios => ["all send", "clients drop", "a decryptor is silent", "a bad share is outvoted", "too few uploads"];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Every_shard_count_sends_the_unsharded_servers_bytes_and_ends_alike(string scenario)
    {
        // A bad share is outvoted only when a third set can be drawn from decryptors in both or neither of the first two
        // (he.md 10.7): six decryptors with t = 2, as in DecryptionCheckTests.
        bool outvote = scenario == "a bad share is outvoted";
        using var f = new HeRoundFixture(clients: 9, decryptors: outvote ? 6 : 5, threshold: outvote ? 2 : 3, minimumClients: scenario == "too few uploads" ? 8 : 2);
        HeSimulationResult simulated = f.Simulate(scenario switch
        {
            "clients drop" => new HeSimulationOptions { KeepServerLog = true, DroppedClients = new HashSet<uint> { 6, 8 } },
            "a decryptor is silent" => new HeSimulationOptions { KeepServerLog = true, DecryptorsDroppedAtDecrypt = new HashSet<uint> { 2 } },
            "a bad share is outvoted" => new HeSimulationOptions { KeepServerLog = true, DecryptorsSendingBadShares = new HashSet<uint> { 1 } },
            "too few uploads" => new HeSimulationOptions { KeepServerLog = true, DroppedClients = new HashSet<uint> { 7, 9 } },
            _ => new HeSimulationOptions { KeepServerLog = true },
        });
        List<List<(uint[] Recipients, byte[] Bytes)>> reference = Reference(f, simulated.ServerLog, out HeServerState final);

        foreach (int shards in ShardCounts)
        {
            var server = new HeRoundServer(f.Parameters, shards);
            var closes = new List<List<(uint[] Recipients, byte[] Bytes)>>();
            foreach (HeServerLogEntry entry in simulated.ServerLog)
            {
                if (entry.IsClose)
                {
                    if (shards > 1 && server.Progress!.Stage == (int)HeStage.Upload)
                    {
                        // The uploads really are spread: more than one shard holds some.
                        Assert.True(server.Composition.Shards.Count(s => s.Received > 0) > 1, $"S = {shards}: the uploads sit in one shard");
                    }
                    closes.Add([.. server.Close().Sent.Select(m => (m.Recipients.ToArray(), m.Bytes))]);
                }
                else
                {
                    Assert.Null(server.Handle(entry.Envelope));
                    Assert.Equal(RejectionReason.Duplicate, server.Handle(entry.Envelope)!.Reason);
                }
            }
            Assert.Equal(reference.Count, closes.Count);
            for (int c = 0; c < closes.Count; c++)
            {
                Assert.Equal(reference[c].Count, closes[c].Count);
                for (int m = 0; m < closes[c].Count; m++)
                {
                    Assert.Equal(reference[c][m].Recipients, closes[c][m].Recipients);
                    Assert.True(reference[c][m].Bytes.AsSpan().SequenceEqual(closes[c][m].Bytes), $"S = {shards}: close {c} message {m} differs");
                }
            }
            RoundEnd end = Assert.IsType<RoundEnd>(server.End);
            switch (final)
            {
                case HeServerCompletedState done:
                    RoundResult result = Assert.IsType<RoundResult>(end.Result);
                    Assert.Equal(done.Result.Sum, Assert.Single(result.Sums));
                    Assert.Equal(f.ExpectedSum(done.Result.Contributors), done.Result.Sum);
                    Assert.Equal(done.Result.Contributors, result.Survivors);
                    Assert.Equal(done.Attempts, result.Attempts);
                    Assert.Equal(MessageCodec.Encode<HeServerMessage>(done.Result), end.FinalMessage);
                    break;
                case HeServerAbortedState aborted:
                    Assert.Null(end.Result);
                    Assert.Equal((int)aborted.Reason, end.Abort!.Reason);
                    Assert.Equal(aborted.Detail, end.Abort.Detail);
                    break;
                default:
                    Assert.Fail($"the simulated round did not end ({final.Name})");
                    break;
            }
        }
        Assert.Equal(scenario == "too few uploads", final is HeServerAbortedState);
    }

    [Fact]
    public void A_shard_refuses_a_client_of_another_shard_and_the_root_refuses_nothing_it_did_not_check()
    {
        using var f = new HeRoundFixture(clients: 9, decryptors: 5, threshold: 3);
        HeSimulationResult simulated = f.Simulate(new HeSimulationOptions { KeepServerLog = true });
        var server = new HeRoundServer(f.Parameters, 3);
        byte[] first = simulated.ServerLog[0].Envelope!;
        uint sender = server.ClaimedSender(first)!.Value;
        int home = server.Composition.ShardFor(first);
        IRoundShard other = server.Composition.Shards[(home + 1) % 3];
        MessageRejection refused = Assert.IsType<MessageRejection>(other.Handle(first));
        Assert.Equal(RejectionReason.NotExpected, refused.Reason);
        Assert.Contains($"belongs to shard {home}", refused.Detail);
        Assert.Equal(0, other.Received);
        // The root decides only from one report per shard for its open close.
        IRoundRoot root = server.Composition.Root;
        Assert.Equal(0, root.OpenClose);
        Assert.Throws<InvalidOperationException>(() => root.Decide([other.Report()]));
        Assert.Null(server.Handle(first));
        Assert.Equal(sender, server.Composition.Shards[home].Report().Contributors.Single());
    }

    // The server's own states fed the log: the messages of every close, encoded as a host sends them.
    private static List<List<(uint[] Recipients, byte[] Bytes)>> Reference(HeRoundFixture f, List<HeServerLogEntry> log, out HeServerState state)
    {
        state = HeServer.Start(f.Parameters);
        var closes = new List<List<(uint[], byte[])>>();
        foreach (HeServerLogEntry entry in log)
        {
            if (entry.IsClose)
            {
                HeServerTransition t = state.CloseStage();
                closes.Add([.. t.Outgoing.Select(o => (o.Recipients.Order().ToArray(), MessageCodec.Encode(o.Message)))]);
                state = t.Next;
            }
            else
            {
                Assert.Null(state.HandleBytes(entry.Envelope).Rejection);
            }
        }
        return closes;
    }
}
