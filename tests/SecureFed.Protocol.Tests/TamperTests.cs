using SecureFed.Protocol.Client;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Server;
using SecureFed.Testing;

namespace SecureFed.Protocol.Tests;

// Flip one bit anywhere in a message: the server refuses a client message (state untouched) and a client aborts on a
// server message; the untampered message is still accepted afterwards.
public class TamperTests
{
    public static TheoryData<int> Stages => new() { 0, 1, 2, 3, 4 };

    [Theory]
    [MemberData(nameof(Stages))]
    public void Every_flipped_bit_in_a_client_envelope_is_refused_without_changing_the_round(int stage)
    {
        using var r = new ManualRound(3, length: 4, threshold: 2);
        var replies = r.StartClients();
        for (int s = 0; s < stage; s++)
        {
            replies = r.Step(replies);
        }
        byte[] original = MessageCodec.Encode(replies[2]);
        int received = r.Server.Received.Count;
        for (int bit = 0; bit < original.Length * 8; bit++)
        {
            byte[] tampered = original.ToArray();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            ServerTransition t = r.Server.HandleBytes(tampered);
            Assert.False(t.Accepted, $"bit {bit} of a {(ProtocolStage)stage} envelope flipped was accepted");
            Assert.Same(r.Server, t.Next);
            Assert.Equal(received, r.Server.Received.Count);
        }
        Assert.True(r.Server.HandleBytes(original).Accepted);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void Every_flipped_bit_in_a_server_message_aborts_the_client(int stage)
    {
        // stage 0: KeyDirectory, 1: ShareDelivery, 3: UnmaskingRequest. States are single-use (an abort wipes the
        // secrets they hold), so each flip gets a freshly replayed round; the same seed gives the same message.
        // An UnmaskingRequest is built with t = n = 3, so the client needs both neighbours' consistency tags: a flip in
        // either is caught (with t < n an invalid tag is skipped by design, secagg.md section 8). A flip that passes
        // must change nothing the client does.
        var (reference, original, referenceClient) = RoundAt(stage);
        byte[] untampered;
        using (reference)
        {
            untampered = MessageCodec.Encode(referenceClient.HandleBytes(original).Outgoing!);
        }
        int accepted = 0;
        var bits = Enumerable.Range(0, Math.Min(original.Length * 8, 256)) // every bit of the headers and first fields
            .Concat(Enumerable.Range(0, 200).Select(i => (int)((long)i * original.Length * 8 / 200))) // and spread over the rest
            .Distinct();
        foreach (int bit in bits)
        {
            var (round, bytes, client) = RoundAt(stage);
            using (round)
            {
                bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                ClientTransition t = client.HandleBytes(bytes);
                if (t.Next is ClientAbortedState)
                {
                    Assert.Null(t.Outgoing);
                    continue;
                }
                Assert.True(stage == 3, $"bit {bit} flipped in a stage-{stage} server message was not detected");
                Assert.Equal(untampered, MessageCodec.Encode(t.Outgoing!));
                accepted++;
            }
        }
        Assert.True(accepted < bits.Count() / 10, $"{accepted} flips passed unnoticed");
    }

    [Fact]
    public void A_client_state_is_single_use()
    {
        var (round, bytes, client) = RoundAt(0);
        using (round)
        {
            Assert.NotNull(client.HandleBytes(bytes).Outgoing);
            Assert.Throws<ObjectDisposedException>(() => client.HandleBytes(bytes));
        }
    }

    private static (ManualRound Round, byte[] Message, ClientState Client) RoundAt(int stage)
    {
        var r = new ManualRound(3, length: 4, threshold: stage == 3 ? 3 : 2);
        var replies = r.StartClients();
        Dictionary<uint, ServerMessage> inbox = [];
        for (int s = 0; s <= stage; s++)
        {
            r.SendToServer(replies.Values);
            inbox = r.CloseStage();
            if (s < stage)
            {
                replies = r.Deliver(inbox);
            }
        }
        return (r, MessageCodec.EncodeServerMessage(inbox[1]), r.Clients[1]);
    }
}
