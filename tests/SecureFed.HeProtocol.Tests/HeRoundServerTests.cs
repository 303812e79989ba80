using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Server;
using SecureFed.HeProtocol.Simulation;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Server;

namespace SecureFed.HeProtocol.Tests;

/// <summary>
/// The HE round behind the host contract: the simulator's server log fed to <see cref="HeRoundServer"/> (what a host's
/// replay does) ends with the same result, the result is what every later poll receives, and refusals come out in
/// the shared <see cref="RejectionReason"/> terms.
/// </summary>
public sealed class HeRoundServerTests
{
    [Fact]
    public void The_simulated_log_replayed_through_the_contract_completes_with_the_same_sum_and_attempts()
    {
        using var f = new HeRoundFixture(clients: 5, decryptors: 4, threshold: 2);
        HeSimulationResult simulated = f.Simulate(new HeSimulationOptions { KeepServerLog = true, DroppedClients = new HashSet<uint> { 5 }, DecryptorsDroppedAtDecrypt = new HashSet<uint> { 2 } });
        var done = Assert.IsType<HeServerCompletedState>(simulated.Final);

        var server = new HeRoundServer(f.Parameters);
        int closes = 0;
        StageClose? last = null;
        foreach (HeServerLogEntry entry in simulated.ServerLog)
        {
            if (entry.IsClose)
            {
                Assert.Equal($"H{server.Progress!.Stage}", server.Progress.Label);
                last = server.Close();
                closes++;
            }
            else
            {
                Assert.Null(server.Handle(entry.Envelope));
                Assert.Equal(RejectionReason.Duplicate, server.Handle(entry.Envelope)!.Reason);
            }
        }

        RoundEnd end = Assert.IsType<RoundEnd>(server.End);
        Assert.Same(end, last!.End);
        RoundResult result = Assert.IsType<RoundResult>(end.Result);
        Assert.Equal(done.Result.Sum, Assert.Single(result.Sums));
        Assert.Equal(done.Result.Contributors, result.Survivors);
        Assert.Equal([5u], result.Dropped);
        // Decryptor 2 is silent in the first set: attempt 2 retries with another set, attempt 3 checks its sum with a
        // second set (he.md 10.7).
        Assert.Equal(3, result.Attempts);
        Assert.Equal(done.Attempts, result.Attempts);
        var final = Assert.IsType<HeRoundResult>(MessageCodec.Decode<HeServerMessage>(end.FinalMessage!, int.MaxValue));
        Assert.Equal(done.Result.Sum, final.Sum);
        Assert.Equal(RejectionReason.RoundClosed, server.Handle(simulated.ServerLog[0].Envelope!)!.Reason);
        Assert.Throws<InvalidOperationException>(() => server.Abort("late"));
    }

    [Fact]
    public void An_operator_abort_sends_the_OperatorAborted_notice_to_the_whole_roster()
    {
        using var f = new HeRoundFixture(clients: 4);
        var server = new HeRoundServer(f.Parameters);
        Assert.Null(server.ClaimedSender(new byte[] { 0xc1 }));
        Assert.Equal(RejectionReason.Malformed, server.Handle(new byte[] { 0xc1 })!.Reason);
        StageClose abort = server.Abort("maintenance");
        SentMessage notice = Assert.Single(abort.Sent);
        Assert.Equal(f.Parameters.ClientIds.Order(), notice.Recipients);
        var decoded = Assert.IsType<HeAbortNotice>(MessageCodec.Decode<HeServerMessage>(notice.Bytes, int.MaxValue));
        Assert.Equal(HeAbortReason.OperatorAborted, decoded.Reason);
        Assert.Equal((int)HeAbortReason.OperatorAborted, abort.End!.Abort!.Reason);
        Assert.Null(server.Progress);
    }
}
