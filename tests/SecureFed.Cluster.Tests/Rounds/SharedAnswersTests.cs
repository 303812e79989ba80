using SecureFed.Cluster.Rounds;

namespace SecureFed.Cluster.Tests.Rounds;

public sealed class SharedAnswersTests
{
    [Fact]
    public void A_large_answer_goes_inline_twice_then_by_digest_and_the_digest_finds_the_same_bytes()
    {
        var shared = new SharedAnswers();
        byte[] directory = Filled(SharedAnswers.MinBytes, 7);

        Assert.Equal((directory, (byte[]?)null), shared.Answer(directory)); // the first time: maybe a client's own message
        (byte[]? second, byte[]? digest) = shared.Answer(directory);
        Assert.Same(directory, second);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(directory), digest);
        (byte[]? third, byte[]? again) = shared.Answer(directory);
        Assert.Null(third);
        Assert.Equal(digest, again);
        Assert.Same(directory, shared.Find(digest!));
    }

    [Fact]
    public void Small_answers_and_equal_bytes_in_another_array_always_go_inline()
    {
        var shared = new SharedAnswers();
        byte[] small = Filled(SharedAnswers.MinBytes - 1, 1);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal((small, (byte[]?)null), shared.Answer(small));
        }
        // Arrays are told apart by reference: an answer encoded afresh per call is never sent by digest.
        for (int i = 0; i < 3; i++)
        {
            byte[] fresh = Filled(SharedAnswers.MinBytes, 2);
            Assert.Equal((fresh, (byte[]?)null), shared.Answer(fresh));
        }
        Assert.Equal((null, null), shared.Answer(null));
    }

    [Fact]
    public void A_digest_stays_fetchable_through_the_next_close_and_is_gone_after_the_second()
    {
        var shared = new SharedAnswers();
        byte[] directory = Filled(SharedAnswers.MinBytes, 3);
        shared.Answer(directory);
        byte[] digest = shared.Answer(directory).Digest!;

        shared.Closed();
        Assert.Same(directory, shared.Find(digest)); // handed out just before the close
        Assert.Equal((directory, (byte[]?)null), shared.Answer(directory)); // a new close starts counting afresh
        shared.Closed();
        Assert.Null(shared.Find(digest)); // the front end polls again
    }

    private static byte[] Filled(int length, byte value)
    {
        var bytes = new byte[length];
        Array.Fill(bytes, value);
        return bytes;
    }
}
