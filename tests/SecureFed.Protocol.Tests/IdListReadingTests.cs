using SecureFed.Protocol.Client;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Tests;

// A client reads the SurvivorSet and the UnmaskingRequest from their bytes without MessagePack's reader (issue 18);
// these pin that it accepts and refuses exactly what the general decoder does and reads the same message.
public class IdListReadingTests
{
    // Ids in every unsigned form the writer uses (fixint, uint8, uint16, uint32).
    private static readonly uint[] Ids = [1, 2, 127, 128, 255, 256, 65_535, 65_536, 4_000_000_000];

    // A bitmap over a roster of 20 (secagg.md 2.3).
    private static SurvivorSet Survivors() => new() { Survivors = [0b1011_0111, 0xff, 0x05] };

    private static UnmaskingRequest Request() => new()
    {
        TagSenders = Ids,
        Tags = [.. Enumerable.Range(0, 32 * Ids.Length).Select(i => (byte)i)],
    };

    private static void AssertSame(ServerMessage expected, ServerMessage actual)
    {
        Assert.Equal(expected.GetType(), actual.GetType());
        Assert.Equal(expected.Version, actual.Version);
        switch (expected)
        {
            case SurvivorSet s:
                Assert.Equal(s.Survivors, ((SurvivorSet)actual).Survivors);
                break;
            case UnmaskingRequest u:
                var a = (UnmaskingRequest)actual;
                Assert.Equal(u.TagSenders, a.TagSenders);
                Assert.Equal(u.Tags, a.Tags);
                break;
        }
    }

    private static ServerMessage? Fast(byte[] bytes, int maxBytes, bool request) =>
        request ? IdListMessages.TryReadUnmaskingRequest(bytes, maxBytes) : IdListMessages.TryReadSurvivorSet(bytes, maxBytes);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_canonical_message_reads_as_the_general_decoder_reads_it(bool request)
    {
        ServerMessage message = request ? Request() : Survivors();
        byte[] bytes = MessageCodec.EncodeServerMessage(message);
        AssertSame(MessageCodec.DecodeServerMessage(bytes, bytes.Length), Fast(bytes, bytes.Length, request)!);
        Assert.Null(Fast(bytes, bytes.Length - 1, request)); // over the limit: the general decoder refuses it
        Assert.Null(Fast(MessageCodec.EncodeServerMessage(request ? Survivors() : Request()), 1 << 20, request)); // the other message
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Mutated_messages_are_read_only_when_the_general_decoder_reads_the_same_message(bool request)
    {
        byte[] bytes = MessageCodec.EncodeServerMessage(request ? Request() : Survivors());
        var random = new Random(request ? 183 : 182);
        int fast = 0, refused = 0;
        for (int trial = 0; trial < 4000; trial++)
        {
            byte[] mutated = ByteMutations.Mutate(bytes, random);
            ServerMessage? general = null;
            try
            {
                general = MessageCodec.DecodeServerMessage(mutated, 1 << 20);
            }
            catch (MalformedMessageException)
            {
                refused++;
            }
            ServerMessage? read = Fast(mutated, 1 << 20, request);
            if (read is null)
            {
                continue;
            }
            fast++;
            Assert.NotNull(general);
            AssertSame(general, read);
        }
        Assert.True(fast > 100 && refused > 100, $"{fast} read by the fast path, {refused} refused: the mutations should exercise both");
    }

    [Fact]
    public void A_request_in_the_layout_that_still_carried_alive_and_dropped_lists_is_refused_by_both_readers()
    {
        // [3, [1, Alive [1, 2], Dropped [3], TagSenders [2], Tags (32 bytes)]]: the layout before secagg.md 8 dropped the lists.
        byte[] bytes = [0x92, 0x03, 0x95, 0x01, 0x92, 0x01, 0x02, 0x91, 0x03, 0x91, 0x02, 0xc4, 0x20, .. new byte[32]];
        Assert.Null(IdListMessages.TryReadUnmaskingRequest(bytes, 1 << 20));
        Assert.Throws<MalformedMessageException>(() => MessageCodec.DecodeServerMessage(bytes, 1 << 20));
    }

    [Fact]
    public void A_survivor_set_in_the_list_layout_before_the_bitmap_is_refused_by_both_readers()
    {
        // [2, [1, array32 of 65,536 ids]] followed by 100 one-byte ids: U3 as a list, as before 2026-12.
        byte[] bytes = [0x92, 0x02, 0x92, 0x01, 0xdd, 0x00, 0x01, 0x00, 0x00, .. Enumerable.Repeat((byte)1, 100)];
        Assert.Null(IdListMessages.TryReadSurvivorSet(bytes, 1 << 20));
        Assert.Throws<MalformedMessageException>(() => MessageCodec.DecodeServerMessage(bytes, 1 << 20));
        byte[] list = [0x92, 0x02, 0x92, 0x01, 0x93, 0x01, 0x02, 0x03]; // [2, [1, [1, 2, 3]]]
        Assert.Null(IdListMessages.TryReadSurvivorSet(list, 1 << 20));
        Assert.Throws<MalformedMessageException>(() => MessageCodec.DecodeServerMessage(list, 1 << 20));
    }
}
