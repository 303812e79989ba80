using SecureFed.Primitives.Randomness;
using SecureFed.Protocol.Client;
using SecureFed.Protocol.Messages;
using SecureFed.Testing;

namespace SecureFed.Protocol.Tests;

// An input handed over lazily (SecAggClient.Start with a source) has its shape checked when it is fetched (R2) and its
// range while it is masked, in the seed set's walk (32 bits) or before the masking (other widths): an element at or
// above 2^bits still makes the R1 handler throw ArgumentException, nothing is sent, and the input is wiped.
public class LazyInputRangeTests
{
    [Theory]
    [InlineData(32, 1UL << 32, 0)]
    [InlineData(32, ulong.MaxValue, 3)]
    [InlineData(16, 1UL << 16, 2)]
    [InlineData(64, 0UL, -1)]
    [InlineData(32, 5UL, -1)]
    public void An_element_out_of_range_in_a_lazy_input_is_refused_while_masking_and_the_input_is_wiped(int bits, ulong value, int position)
    {
        using var r = new ManualRound(3, length: 5_000, bits: bits, threshold: 2);
        ulong[] handed = r.Inputs[1].ToArray();
        if (position >= 0)
        {
            handed[position * 1_000 + 7] = value;
        }
        using var rng = new DeterministicRandomSource(4);
        var replies = r.StartClients([2, 3]);
        ClientTransition start = SecAggClient.Start(r.Parameters, 1, r.Identity(1), () => [handed], rng);
        r.Clients[1] = start.Next;
        replies[1] = start.Outgoing!;
        replies = r.Step(replies); // R0 -> key directories -> R1 share envelopes
        r.SendToServer(replies.Values);
        Dictionary<uint, ServerMessage> deliveries = r.CloseStage();

        if (position >= 0)
        {
            var e = Assert.Throws<ArgumentException>(() => r.Deliver(deliveries, [1]));
            Assert.Contains($"not below 2^{bits}", e.Message, StringComparison.Ordinal);
        }
        else
        {
            Dictionary<uint, ClientEnvelope> masked = r.Deliver(deliveries, [1]);
            Assert.Equal(ProtocolStage.MaskedInputCollection, masked[1].Stage);
            Assert.Null(r.SendToServer([masked[1]])[0].Rejection); // the server checks the signature over the body's SHA-256
        }
        Assert.All(handed, x => Assert.Equal(0UL, x));
    }
}
