using SecureFed.Privacy.Rounds;

namespace SecureFed.Privacy.Tests;

/// <summary>The hosted round's public rotation seed (protocol-spec/dp.md 8.1).</summary>
public sealed class DpRotationSeedTests
{
    [Fact]
    public void The_seed_is_hkdf_sha256_of_the_round_id_as_the_spec_vector_says()
    {
        byte[] roundId = [.. Enumerable.Range(0, 16).Select(i => (byte)i)];
        // Computed independently with Python's hmac: HKDF-Extract with a zero salt, then one Expand block.
        Assert.Equal("799c2c643f889654389f1132c081c2e05fcd54f97f216685166140fe3985fcac", Convert.ToHexStringLower(DpRotationSeed.For(roundId)));
        roundId[15] ^= 1;
        Assert.NotEqual("799c2c643f889654389f1132c081c2e05fcd54f97f216685166140fe3985fcac", Convert.ToHexStringLower(DpRotationSeed.For(roundId)));
        Assert.Throws<ArgumentException>(() => DpRotationSeed.For([]));
    }
}
