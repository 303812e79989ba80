using SecureFed.Primitives.Vectors;
using SecureFed.Protocol.Client;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Server;
using SecureFed.Testing;

namespace SecureFed.Protocol.Tests;

public class RoundEndToEndTests
{
    private static ulong[] SumOf(ManualRound r, IEnumerable<uint> ids, int bits)
    {
        var sum = new ulong[r.Inputs.First().Value.Length];
        foreach (uint id in ids)
        {
            ModularArithmetic.AddInPlace(sum, r.Inputs[id], bits);
        }
        return sum;
    }

    [Theory]
    [InlineData(32)]
    [InlineData(16)]
    [InlineData(64)]
    public void A_round_without_dropouts_yields_the_exact_sum(int bits)
    {
        using var r = new ManualRound(5, length: 33, bits: bits);
        var replies = r.StartClients();
        for (int stage = 0; stage < 4; stage++)
        {
            replies = r.Step(replies);
        }
        r.SendToServer(replies.Values);
        r.CloseStage();
        var done = Assert.IsType<ServerCompletedState>(r.Server);
        Assert.Equal(SumOf(r, r.Ids, bits), done.Result.Sums[0]);
        Assert.All(r.Clients.Values, c => Assert.IsType<ClientCompletedState>(c));
    }

    [Fact]
    public void Dropouts_before_R2_and_before_R4_still_yield_the_survivors_sum()
    {
        using var r = new ManualRound(7);
        var replies = r.StartClients();
        replies = r.Step(replies);                 // R0 -> directory, R1 shares come back
        replies = r.Step(replies);                 // R1 -> deliveries, R2 masked inputs come back
        replies = r.Step(replies, dropNow: [3]);   // client 3 drops before its masked input arrives
        replies = r.Step(replies);                 // R3 signatures
        r.SendToServer(replies.Where(kv => kv.Key != 5).Select(kv => kv.Value)); // client 5 drops before R4
        r.CloseStage();
        var done = Assert.IsType<ServerCompletedState>(r.Server);
        uint[] survivors = [1, 2, 4, 5, 6, 7];
        Assert.Equal(survivors, done.Result.Survivors);
        Assert.Equal([3u], done.Result.Dropped);
        Assert.Equal(SumOf(r, survivors, 32), done.Result.Sums[0]);
        var revealedBy1 = Assert.IsType<ClientCompletedState>(r.Clients[1]).Revealed;
        Assert.Equal(ShareKind.MaskPrivateKey, revealedBy1[3]);
        Assert.Equal(ShareKind.SelfMaskSeed, revealedBy1[2]);
    }

    [Fact]
    public void Too_many_dropouts_abort_cleanly_and_clients_are_told()
    {
        using var r = new ManualRound(5); // t = 3
        var replies = r.StartClients();
        replies = r.Step(replies);
        replies = r.Step(replies);
        r.SendToServer(replies.Where(kv => kv.Key <= 2).Select(kv => kv.Value)); // only 2 masked inputs
        var notices = r.CloseStage();
        var aborted = Assert.IsType<ServerAbortedState>(r.Server);
        Assert.Equal(AbortReason.TooFewClients, aborted.Reason);
        r.Deliver(notices);
        Assert.All(notices.Keys, id => Assert.Equal(AbortReason.ServerAborted, Assert.IsType<ClientAbortedState>(r.Clients[id]).Reason));
    }
}
