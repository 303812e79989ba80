using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Shamir;

namespace SecureFed.Primitives.Tests;

public class ShamirSchemeTests
{
    private static uint[] Holders(int n) => [.. Enumerable.Range(1, n).Select(i => (uint)(i * 7 + 3))];

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(11, 20)]
    [InlineData(51, 100)]
    public void Any_t_shares_reconstruct_the_secret(int t, int n)
    {
        using var rng = new DeterministicRandomSource(t * 1000 + n);
        byte[] secret = new byte[32];
        rng.Fill(secret);
        uint[] holders = Holders(n);
        byte[] shares = new byte[n * ShamirScheme.ShareSize];
        ShamirScheme.Split(secret, t, holders, shares, rng);

        // Take t holders from the end (a subset other than the first t).
        int[] pick = [.. Enumerable.Range(n - t, t)];
        var basis = new LagrangeBasis([.. pick.Select(i => holders[i])]);
        byte[] packed = [.. pick.SelectMany(i => shares.AsSpan(i * ShamirScheme.ShareSize, ShamirScheme.ShareSize).ToArray())];
        byte[] recovered = new byte[32];
        Assert.True(ShamirScheme.TryReconstruct(basis, packed, recovered));
        Assert.Equal(secret, recovered);
    }

    [Fact]
    public void Fewer_than_t_shares_do_not_reconstruct_the_secret()
    {
        using var rng = new DeterministicRandomSource(5);
        byte[] secret = RandomNumberGenerator.GetBytes(32);
        uint[] holders = Holders(10);
        byte[] shares = new byte[10 * ShamirScheme.ShareSize];
        ShamirScheme.Split(secret, 6, holders, shares, rng);
        var basis = new LagrangeBasis(holders.AsSpan(0, 5));
        byte[] recovered = new byte[32];
        bool ok = ShamirScheme.TryReconstruct(basis, shares.AsSpan(0, 5 * ShamirScheme.ShareSize), recovered);
        Assert.False(ok && recovered.AsSpan().SequenceEqual(secret));
    }

    [Fact]
    public void A_tampered_share_is_detected_or_changes_the_secret()
    {
        using var rng = new DeterministicRandomSource(6);
        byte[] secret = new byte[32];
        rng.Fill(secret);
        uint[] holders = Holders(5);
        byte[] shares = new byte[5 * ShamirScheme.ShareSize];
        ShamirScheme.Split(secret, 3, holders, shares, rng);
        shares[3] ^= 1;
        var basis = new LagrangeBasis(holders.AsSpan(0, 3));
        byte[] recovered = new byte[32];
        bool ok = ShamirScheme.TryReconstruct(basis, shares.AsSpan(0, 3 * ShamirScheme.ShareSize), recovered);
        Assert.False(ok && recovered.AsSpan().SequenceEqual(secret));
    }

    [Fact]
    public void Misuse_is_refused_with_clear_errors()
    {
        using var rng = new DeterministicRandomSource(7);
        byte[] secret = new byte[32];
        byte[] shares = new byte[3 * ShamirScheme.ShareSize];
        Assert.Throws<ArgumentException>(() => ShamirScheme.Split(new byte[31], 2, [1, 2, 3], shares, rng));
        Assert.Throws<ArgumentException>(() => ShamirScheme.Split(secret, 4, [1, 2, 3], shares, rng));
        Assert.Throws<ArgumentException>(() => ShamirScheme.Split(secret, 2, [1, 2, 2], shares, rng));
        Assert.Throws<ArgumentException>(() => ShamirScheme.Split(secret, 2, [0, 1, 2], shares, rng));
        Assert.Throws<ArgumentException>(() => new LagrangeBasis([3, 3]));
    }

    [Fact]
    public void Reconstruction_is_exact_for_random_secrets_and_subsets() =>
        Prop.ForAll(Gen.Choose(1, 30).SelectMany(t => Gen.Choose(t, 40).Select(n => (t, n))).ToArbitrary(), tn =>
        {
            var (t, n) = tn;
            using var rng = new DeterministicRandomSource(t * 97 + n);
            byte[] secret = new byte[32];
            rng.Fill(secret);
            uint[] holders = Holders(n);
            byte[] shares = new byte[n * ShamirScheme.ShareSize];
            ShamirScheme.Split(secret, t, holders, shares, rng);
            int[] pick = [.. Enumerable.Range(0, n).OrderBy(_ => rng.NextUInt64()).Take(t)];
            var basis = new LagrangeBasis([.. pick.Select(i => holders[i])]);
            byte[] packed = [.. pick.SelectMany(i => shares.AsSpan(i * ShamirScheme.ShareSize, ShamirScheme.ShareSize).ToArray())];
            byte[] recovered = new byte[32];
            return ShamirScheme.TryReconstruct(basis, packed, recovered) && recovered.AsSpan().SequenceEqual(secret);
        }).QuickCheckThrowOnFailure();
}
