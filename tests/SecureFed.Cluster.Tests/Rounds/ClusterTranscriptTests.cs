using System.Net;
using System.Net.Http.Headers;
using SecureFed.Audit.Verification;
using SecureFed.Client;
using SecureFed.Cluster.Tests.Support;
using SecureFed.Transport.Admin;

namespace SecureFed.Cluster.Tests.Rounds;

/// <summary>
/// Transcripts in cluster mode: any front end builds a finished round's transcript from its log in PostgreSQL, and
/// the auditor verifies it (masking and HE; the DP record is covered by <see cref="ClusterDpRoundTests"/>).
/// </summary>
[Collection(ClusterRoundsCollection.Name)]
public sealed class ClusterTranscriptTests(ClusterRoundsFixture fixture) : IClassFixture<ClusterRoundsFixture>
{
    // Sharded: the envelopes are in the shards' streams and the closes are the root's decisions and completions.
    [PostgresTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_masking_rounds_transcript_from_another_front_end_passes_audit_verify(bool sharded)
    {
        const int clients = 8, length = 16;
        using SecureFedAdminClient admin = sharded ? fixture.Admin(0) : fixture.UnshardedAdmin();
        ClusterDevices devices = await ClusterDevices.EnrolAsync(admin, clients);
        RoundStatus opened = await devices.OpenMaskingAsync(admin, length);
        int shards = await fixture.ShardCountAsync(opened.RoundId);
        Assert.True(sharded ? shards > 1 : shards == 1, $"{shards} shards");
        using (HttpResponseMessage running = await Transcript(2, opened.RoundId))
        {
            Assert.Equal(HttpStatusCode.Conflict, running.StatusCode);
        }

        Task<ContributionResult>[] runs = await devices.RunAsync(fixture, opened.RoundId, i => ClusterDevices.MaskingInput(i, length));
        Assert.All(runs, t => Assert.True(t.IsCompletedSuccessfully, t.Exception?.ToString()));
        RoundStatus done = await admin.WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(100));
        Assert.Equal("completed", done.Status);

        await VerifyAsync(opened.RoundId, frontEnd: 1);
    }

    // Sharded: the uploads are checked and added in the shards; the root's completions carry their partial sums.
    [PostgresTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_HE_rounds_transcript_from_another_front_end_passes_audit_verify(bool sharded)
    {
        const int clients = 6, length = 16;
        using SecureFedAdminClient admin = sharded ? fixture.Admin(1) : fixture.UnshardedAdmin();
        ClusterDevices devices = await ClusterDevices.EnrolAsync(admin, clients);
        RoundStatus opened = await devices.OpenHeAsync(admin, length, decryptors: 3, threshold: 2);
        int shards = await fixture.ShardCountAsync(opened.RoundId);
        Assert.True(sharded ? shards > 1 : shards == 1, $"{shards} shards");
        Task<ContributionResult>[] runs = await devices.RunAsync(fixture, opened.RoundId, i => ClusterDevices.HeInput(i, length));
        Assert.All(runs, t => Assert.True(t.IsCompletedSuccessfully, t.Exception?.ToString()));
        RoundStatus done = await admin.WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(100));
        Assert.Equal("completed", done.Status);

        await VerifyAsync(opened.RoundId, frontEnd: 2);
    }

    [PostgresFact]
    public async Task An_aborted_rounds_transcript_records_the_abort_and_verifies()
    {
        using SecureFedAdminClient admin = fixture.Admin(2);
        ClusterDevices devices = await ClusterDevices.EnrolAsync(admin, 4);
        RoundStatus opened = await devices.OpenMaskingAsync(admin, 8);
        Assert.True(await fixture.ShardCountAsync(opened.RoundId) > 1);
        await fixture.Admin(0).AbortRoundAsync(opened.RoundId);
        await VerifyAsync(opened.RoundId, frontEnd: 1);
    }

    private async Task VerifyAsync(string roundId, int frontEnd)
    {
        using HttpResponseMessage t = await Transcript(frontEnd, roundId);
        Assert.Equal(HttpStatusCode.OK, t.StatusCode);
        string key = t.Headers.GetValues("X-SecureFed-Aggregator-Key").Single();
        AuditVerification verification = TranscriptVerifier.Verify(await t.Content.ReadAsByteArrayAsync(), keys: null,
            expectedAggregatorKey: Convert.FromHexString(key));
        Assert.True(verification.Passed, string.Join("; ", verification.Checks
            .Where(c => c.Status == AuditCheckStatus.Failed).Select(c => $"{c.Id}: {c.Reason}")));
    }

    private async Task<HttpResponseMessage> Transcript(int frontEnd, string roundId)
    {
        using HttpClient http = fixture.Http(frontEnd);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.AdminKey);
        return await http.GetAsync(new Uri($"/admin/v1/rounds/{roundId}/transcript", UriKind.Relative));
    }
}
