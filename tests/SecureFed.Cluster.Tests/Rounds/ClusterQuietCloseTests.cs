using SecureFed.Client;
using SecureFed.Cluster.Tests.Support;
using SecureFed.Transport.Admin;

namespace SecureFed.Cluster.Tests.Rounds;

/// <summary>
/// The quiet close rule on the cluster (the same <c>RoundRuntime.DueCause</c> the single node calls, from the round
/// grain's timer): with a dropout and a 300 s R2 deadline, the round completes within the test's patience only if the
/// quiet rule closed R2, sharded (three shard grains) or not; the rule is stored with the round and shown in its status.
/// </summary>
[Collection(ClusterRoundsCollection.Name)]
public sealed class ClusterQuietCloseTests(ClusterRoundsFixture fixture) : IClassFixture<ClusterRoundsFixture>
{
    [PostgresTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_round_with_a_dropout_closes_R2_by_the_quiet_rule_with_the_exact_sum(bool sharded)
    {
        const int clients = 12, length = 32, dropout = 7;
        using SecureFedAdminClient admin = sharded ? fixture.Admin(1) : fixture.UnshardedAdmin();
        ClusterDevices devices = await ClusterDevices.EnrolAsync(admin, clients);
        RoundStatus opened = await admin.OpenRoundAsync(new OpenRoundRequest
        {
            Federation = devices.Federation,
            Vectors = [new VectorRequest { Length = length, Bits = 32 }],
            StageDeadlineSeconds = 300,
            StageQuietCloseSeconds = [0, 0, 2],
            QuietCloseQuorum = 0.75,
        });
        Assert.Equal(sharded ? 3 : 1, await fixture.ShardCountAsync(opened.RoundId));
        Assert.Equal([0.0, 0, 2, 0, 0], opened.QuietCloseSeconds);
        Assert.Equal(0.75, opened.QuietCloseQuorum);

        Task<ContributionResult>[] runs = await devices.RunAsync(fixture, opened.RoundId, i => ClusterDevices.MaskingInput(i, length),
            quitsBefore: i => i == dropout ? 2 : null).WaitAsync(TimeSpan.FromSeconds(150));
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using SecureFedAdminClient other = fixture.Admin(2);
        RoundStatus done = await other.WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(100), patience.Token);

        Assert.Equal("completed", done.Status);
        int[] survivors = [.. Enumerable.Range(0, clients).Where(i => i != dropout)];
        Assert.Equal(ClusterDevices.Sum(survivors, i => ClusterDevices.MaskingInput(i, length), length), done.Sums![0]);
        Assert.Equal(new[] { devices.ClientIds[dropout] }, done.Dropped!);
        Assert.All(survivors, i => Assert.True(runs[i].IsCompletedSuccessfully, runs[i].Exception?.ToString()));
    }
}
