using System.Runtime.CompilerServices;
using SecureFed.Client.Rounds;

namespace SecureFed.Cli.Tests;

/// <summary>
/// The simulated devices of a swarm (all in one process) hold one copy of a large message they all received (the key
/// directory, <see cref="SharedReceivedMessages"/>): equal bytes give the array already held, other bytes (even with the
/// same length and ends) their own, small messages are not looked up, and a message no device holds any more is let go.
/// </summary>
public sealed class SharedReceivedMessagesTests
{
    private const int Large = SharedReceivedMessages.MinimumBytes * 2;

    [Fact]
    public void Devices_that_received_equal_bytes_share_the_first_array_and_other_bytes_keep_their_own()
    {
        var shared = new SharedReceivedMessages();
        byte[] first = Message(Large, 1);
        byte[] again = Message(Large, 1); // another device's copy, as read from its own response
        byte[] middle = Message(Large, 1);
        middle[Large / 2] ^= 1; // same length and ends, one byte apart in the middle

        Assert.Same(first, shared.Share(first));
        Assert.Same(first, shared.Share(again));
        Assert.Same(middle, shared.Share(middle));
        Assert.Same(first, shared.Share(Message(Large, 1)));
        Assert.Equal(2, shared.Count);
        GC.KeepAlive(first);
        GC.KeepAlive(middle);
    }

    [Fact]
    public void A_small_message_is_returned_as_it_came_and_not_remembered()
    {
        var shared = new SharedReceivedMessages();
        byte[] small = Message(SharedReceivedMessages.MinimumBytes - 1, 2);

        Assert.Same(small, shared.Share(small));
        Assert.NotSame(small, shared.Share(Message(SharedReceivedMessages.MinimumBytes - 1, 2)));
        Assert.Equal(0, shared.Count);
    }

    [Fact]
    public void A_message_no_device_holds_is_collected_and_its_entry_pruned()
    {
        var shared = new SharedReceivedMessages();
        WeakReference gone = ShareAndDrop(shared, 3);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(gone.IsAlive);

        byte[] next = Message(Large, 4);
        Assert.Same(next, shared.Share(next));
        Assert.Equal(1, shared.Count); // the dead entry was pruned when the new message came
        GC.KeepAlive(next);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference ShareAndDrop(SharedReceivedMessages shared, int seed) => new(shared.Share(Message(Large, seed)));

    private static byte[] Message(int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
