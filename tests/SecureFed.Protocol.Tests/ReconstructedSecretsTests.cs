using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Shamir;
using SecureFed.Protocol.Server;
using SecureFed.Testing;

namespace SecureFed.Protocol.Tests;

/// <summary>
/// The server rebuilds its owners' secrets on every core; what it keeps and the failure it reports must be those of
/// rebuilding them one by one in ascending owner order, whatever the thread timing.
/// </summary>
public sealed class ReconstructedSecretsTests : IDisposable
{
    private const int Owners = 40;
    private readonly ManualRound _round = new(Owners, threshold: 21);
    private readonly DeterministicRandomSource _random = new(18);
    private readonly byte[][] _secrets;

    public ReconstructedSecretsTests() => _secrets = [.. Enumerable.Range(0, Owners).Select(_ => Secret())];

    [Fact]
    public void Every_owner_is_rebuilt_from_its_lowest_t_holders()
    {
        using var secrets = new ReconstructedSecrets();
        Assert.Null(secrets.Reconstruct(Context(), [.. Ids()], [], Shares()));
        Assert.Equal(Ids(), secrets.SelfMaskSeeds.Keys.Order());
        foreach (uint owner in Ids())
        {
            Assert.Equal(_secrets[owner - 1], secrets.SelfMaskSeeds[owner].Span.ToArray());
        }
    }

    [Fact]
    public void The_lowest_failing_owner_is_reported_and_only_the_owners_below_it_are_kept()
    {
        for (int run = 0; run < 20; run++)
        {
            var shares = Shares();
            Spoil(shares[33]);
            Spoil(shares[17]);
            shares[25].RemoveRange(0, shares[25].Count - 20); // t - 1 left
            using var secrets = new ReconstructedSecrets();
            Assert.Equal((17u, "the shares of client 17 are inconsistent"), secrets.Reconstruct(Context(), [.. Ids()], [], shares));
            Assert.Equal(Ids().Where(id => id < 17), secrets.SelfMaskSeeds.Keys.Order());
        }
    }

    [Fact]
    public void An_exception_for_a_lower_owner_than_any_failure_is_thrown_as_it_is()
    {
        var shares = Shares();
        Spoil(shares[17]);
        using var secrets = new ReconstructedSecrets();
        // Owner 5 counts as dropped, but the context holds no advertised keys: looking its key up throws.
        Assert.Throws<KeyNotFoundException>(() => secrets.Reconstruct(Context(), [.. Ids().Where(id => id != 5)], [5], shares));
        Assert.Empty(secrets.DroppedMaskKeys);
    }

    public void Dispose()
    {
        _round.Dispose();
        _random.Dispose();
    }

    private byte[] Secret()
    {
        var secret = new byte[ShamirScheme.SecretSize];
        _random.Fill(secret);
        return secret;
    }

    private static IEnumerable<uint> Ids() => Enumerable.Range(1, Owners).Select(i => (uint)i);

    private ServerContext Context() => new(_round.Parameters);

    // Every owner's secret split among all owners, listed by descending holder so that the rebuild must pick the lowest.
    private Dictionary<uint, List<(uint Holder, byte[] Share)>> Shares()
    {
        uint[] holders = [.. Ids()];
        var result = new Dictionary<uint, List<(uint Holder, byte[] Share)>>();
        using var random = new DeterministicRandomSource(7);
        foreach (uint owner in Ids())
        {
            var all = new byte[holders.Length * ShamirScheme.ShareSize];
            ShamirScheme.Split(_secrets[owner - 1], _round.Parameters.Threshold, holders, all, random);
            result[owner] = [.. holders.Select((h, i) => (h, all.AsSpan(i * ShamirScheme.ShareSize, ShamirScheme.ShareSize).ToArray())).Reverse()];
        }
        return result;
    }

    // A share word outside the field: the rebuild refuses it.
    private static void Spoil(List<(uint Holder, byte[] Share)> shares) => Array.Fill(shares[^1].Share, (byte)0xFF, 0, 8);
}
