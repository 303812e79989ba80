using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Server;
using SecureFed.Testing;

namespace SecureFed.Protocol.Tests;

/// <summary>
/// The masking round behind the host contract: a round driven through <see cref="IRoundServer"/> completes with the
/// right sum, and a fresh server fed any prefix of its event log (accepted envelopes and closes) is in the same state
/// and sends byte-identical messages at its next close: what a host's replay after kill -9 relies on.
/// </summary>
public sealed class SecAggRoundServerTests
{
    private sealed record Event(byte[]? Envelope);

    [Fact]
    public void A_round_through_the_contract_completes_and_every_prefix_of_its_log_replays_to_the_same_messages()
    {
        using var r = new ManualRound(5);
        var server = new SecAggRoundServer(r.Parameters, minimumClients: 3);
        var log = new List<Event>();
        var closes = new List<StageClose>();
        Dictionary<uint, ClientEnvelope> replies = r.StartClients();
        while (server.End is null)
        {
            foreach (ClientEnvelope e in replies.Where(kv => kv.Key != 5 || log.Count(x => x.Envelope is null) < 2).Select(kv => kv.Value))
            {
                byte[] bytes = MessageCodec.Encode(e);
                Assert.Null(server.Handle(bytes));
                Assert.Equal(RejectionReason.Duplicate, server.Handle(bytes)!.Reason); // refusals change nothing
                log.Add(new Event(bytes));
            }
            StageClose close = server.Close();
            log.Add(new Event(null));
            closes.Add(close);
            replies = r.Deliver(close.Sent.SelectMany(m => m.Recipients.Select(id => (id, m.Bytes)))
                .ToDictionary(x => x.id, x => MessageCodec.DecodeServerMessage(x.Bytes, x.Bytes.Length)));
        }

        RoundResult result = Assert.IsType<RoundResult>(server.End.Result);
        var expected = new ulong[8];
        foreach (uint id in new uint[] { 1, 2, 3, 4 })
        {
            Primitives.Vectors.ModularArithmetic.AddInPlace(expected, r.Inputs[id], 32);
        }
        Assert.Equal(expected, result.Sums[0]);
        Assert.Equal([1u, 2, 3, 4], result.Survivors);
        Assert.Null(server.Progress);
        Assert.Throws<InvalidOperationException>(() => server.Close());

        for (int cut = 0; cut < log.Count; cut++)
        {
            var replayed = new SecAggRoundServer(r.Parameters, minimumClients: 3);
            foreach (Event e in log.Take(cut))
            {
                if (e.Envelope is null)
                {
                    replayed.Close();
                }
                else
                {
                    Assert.Null(replayed.Handle(e.Envelope));
                }
            }
            int closesBefore = log.Take(cut).Count(e => e.Envelope is null);
            if (log[cut].Envelope is null)
            {
                StageClose again = replayed.Close();
                Assert.Equal(closes[closesBefore].Sent.Select(m => (m.Recipients.ToArray(), m.Bytes)), again.Sent.Select(m => (m.Recipients.ToArray(), m.Bytes)),
                    new SentComparer());
            }
            else
            {
                Assert.Equal(closesBefore, replayed.Progress!.Stage);
            }
        }
    }

    [Fact]
    public void R0_closing_below_the_hosts_minimum_aborts_with_TooFewClients_and_a_notice_to_the_expected_clients()
    {
        using var r = new ManualRound(5);
        var server = new SecAggRoundServer(r.Parameters, minimumClients: 4);
        foreach (ClientEnvelope e in r.StartClients([1, 2, 3]).Values)
        {
            Assert.Null(server.Handle(MessageCodec.Encode(e)));
        }
        StageClose close = server.Close();
        RoundAbort abort = Assert.IsType<RoundAbort>(close.End!.Abort);
        Assert.Equal((int)AbortReason.TooFewClients, abort.Reason);
        Assert.Equal(RoundPhase.Aborted, close.End.Phase);
        SentMessage notice = Assert.Single(close.Sent);
        Assert.Equal([1u, 2, 3, 4, 5], notice.Recipients);
        Assert.IsType<RoundAbortNotice>(MessageCodec.DecodeServerMessage(notice.Bytes, notice.Bytes.Length));
        Assert.Equal(close.End.FinalMessage, notice.Bytes);
        Assert.Equal(RejectionReason.RoundClosed, server.Handle(notice.Bytes)!.Reason);
    }

    [Fact]
    public void An_operator_abort_ends_the_round_once_and_an_envelope_from_another_sender_is_reported_by_its_claim()
    {
        using var r = new ManualRound(3);
        var server = new SecAggRoundServer(r.Parameters, minimumClients: 2);
        byte[] bytes = MessageCodec.Encode(r.StartClients([2]).Values.Single());
        Assert.Equal(2u, server.ClaimedSender(bytes));
        Assert.Null(server.ClaimedSender(new byte[] { 0xc1 }));
        StageClose abort = server.Abort("maintenance");
        Assert.Equal(nameof(AbortReason.ServerAborted), abort.End!.Abort!.ReasonName);
        Assert.Throws<InvalidOperationException>(() => server.Abort("again"));
    }

    private sealed class SentComparer : IEqualityComparer<(uint[] Recipients, byte[] Bytes)>
    {
        public bool Equals((uint[] Recipients, byte[] Bytes) x, (uint[] Recipients, byte[] Bytes) y) =>
            x.Recipients.SequenceEqual(y.Recipients) && x.Bytes.SequenceEqual(y.Bytes);

        public int GetHashCode((uint[] Recipients, byte[] Bytes) obj) => obj.Bytes.Length;
    }
}
