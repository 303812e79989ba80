using System.Net;
using System.Security.Cryptography;
using SecureFed.Client;
using SecureFed.Cluster.Rounds;
using SecureFed.Cluster.Tests.Support;
using SecureFed.Transport.Admin;

namespace SecureFed.Cluster.Tests.Rounds;

/// <summary>Whole rounds of both schemes on three silos, with clients spread over three front ends.</summary>
[Collection(ClusterRoundsCollection.Name)]
public sealed class ClusterRoundTests(ClusterRoundsFixture fixture) : IClassFixture<ClusterRoundsFixture>
{
    [PostgresFact]
    public async Task A_masking_round_over_three_front_ends_completes_with_the_exact_sum_and_its_log_in_PostgreSQL()
    {
        const int clients = 12, length = 64;
        using SecureFedAdminClient admin = fixture.Admin(1);
        ClusterDevices devices = await ClusterDevices.EnrolAsync(admin, clients);
        RoundStatus opened = await devices.OpenMaskingAsync(admin, length);

        Task<ContributionResult>[] runs = await devices.RunAsync(fixture, opened.RoundId, i => ClusterDevices.MaskingInput(i, length));

        Assert.All(runs, t => Assert.True(t.IsCompletedSuccessfully, t.Exception?.ToString()));
        using SecureFedAdminClient other = fixture.Admin(2);
        RoundStatus done = await other.WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(100));
        ulong[] expected = ClusterDevices.Sum(Enumerable.Range(0, clients), i => ClusterDevices.MaskingInput(i, length), length);
        Assert.Equal("completed", done.Status);
        Assert.Equal(expected, done.Sums![0]);
        Assert.Equal(devices.ClientIds, done.Survivors);
        // Every acknowledged envelope is in the round's log (four stages with a message from each client at least).
        long envelopes = await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM securefed_round_log WHERE round_id = decode(@id, 'hex') AND kind = 1", ("id", opened.RoundId));
        Assert.True(envelopes >= 4 * clients, $"{envelopes} envelopes logged");
    }

    [PostgresFact]
    public async Task An_HE_round_over_three_front_ends_completes_with_the_exact_sum()
    {
        const int clients = 10, length = 32;
        using SecureFedAdminClient admin = fixture.Admin(0);
        ClusterDevices devices = await ClusterDevices.EnrolAsync(admin, clients);
        RoundStatus opened = await devices.OpenHeAsync(admin, length, decryptors: 4, threshold: 3);
        Assert.Equal("he", opened.Scheme);

        Task<ContributionResult>[] runs = await devices.RunAsync(fixture, opened.RoundId, i => ClusterDevices.HeInput(i, length));

        Assert.All(runs, t => Assert.True(t.IsCompletedSuccessfully, t.Exception?.ToString()));
        RoundStatus done = await admin.WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(100));
        ulong[] expected = ClusterDevices.Sum(Enumerable.Range(0, clients), i => ClusterDevices.HeInput(i, length), length);
        Assert.Equal("completed", done.Status);
        Assert.Equal(expected, done.Sums![0]);
        Assert.All(runs, t => Assert.Equal(expected, t.Result.Sum));
    }

    [PostgresFact]
    public async Task A_round_opened_by_another_engine_version_is_refused_not_replayed()
    {
        byte[] id = RandomNumberGenerator.GetBytes(16);
        string hex = Convert.ToHexStringLower(id);
        await fixture.Database.ExecuteAsync(
            "INSERT INTO securefed_rounds(round_id, federation, engine_version, configuration) VALUES (@id, 'fed', @v, '\\x00'::bytea)",
            ("id", id), ("v", RoundEngine.Version + 1));

        RoundFacts facts = await fixture.Cluster.Client.GetGrain<IRoundGrain>(hex).Facts();
        Assert.Contains("engine version", facts.Unavailable, StringComparison.Ordinal);

        using HttpClient http = fixture.Http(0);
        using HttpResponseMessage response = await http.GetAsync(new Uri($"/v1/rounds/{hex}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
    }
}

/// <summary>The cluster round classes run one after another (each deploys three silos on the shared 2-core machine).</summary>
[CollectionDefinition(Name)]
public sealed class ClusterRoundsCollection
{
    public const string Name = "cluster rounds";
}
