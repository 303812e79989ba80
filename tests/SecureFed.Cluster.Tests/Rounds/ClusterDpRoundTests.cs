using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SecureFed.Audit.Verification;
using SecureFed.Client;
using SecureFed.Cluster.Rounds;
using SecureFed.Cluster.Tests.Support;
using SecureFed.Privacy.Accounting;
using SecureFed.Privacy.Ledger;
using SecureFed.Privacy.Rounds;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Cluster.Tests.Rounds;

/// <summary>
/// DP rounds on the cluster with the privacy ledger in PostgreSQL: the charge matches the accountant and is committed
/// with the round's outcome, an open over budget is refused 409 as on a single node, the budget endpoints work on any
/// front end, and the transcript built from the round's log passes the auditor's checks.
/// </summary>
[Collection(ClusterRoundsCollection.Name)]
public sealed class ClusterDpRoundTests(ClusterRoundsFixture fixture) : IClassFixture<ClusterRoundsFixture>
{
    private static OpenRoundRequest DpRound(string federation, int length, double z) => new()
    {
        Federation = federation,
        Float = new FloatEncodingRequest { Length = length, ClipNorm = 1 },
        Dp = new DpRoundRequest { NoiseMultiplier = z },
        StageDeadlineSeconds = 60,
    };

    [PostgresFact]
    public async Task A_dp_round_on_three_silos_charges_the_accountants_epsilon_in_PostgreSQL_and_its_transcript_verifies()
    {
        const int clients = 5, length = 24;
        using SecureFedAdminClient admin = fixture.Admin(0);
        ClusterDevices devices = await ClusterDevices.EnrolAsync(admin, clients);
        var unset = await Assert.ThrowsAsync<RequestRefusedException>(() => admin.OpenRoundAsync(DpRound(devices.Federation, length, 1)));
        Assert.Equal("privacy-budget-unset", unset.Code);
        await admin.SetPrivacyBudgetAsync(devices.Federation, 50, 1e-5, actor: "alice");

        using SecureFedAdminClient admin1 = fixture.Admin(1);
        RoundStatus opened = await admin1.OpenRoundAsync(DpRound(devices.Federation, length, 1));
        Assert.True(await fixture.ShardCountAsync(opened.RoundId) > 1, "a DP masking round is spread over the silos' shards by default");
        Task<FloatContributionResult>[] runs = await devices.RunFloatAsync(fixture, opened.RoundId, length);
        Assert.All(runs, t => Assert.True(t.IsCompletedSuccessfully, t.Exception?.ToString()));

        using SecureFedAdminClient admin2 = fixture.Admin(2);
        RoundStatus done = await admin2.WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(100));
        Assert.Equal("completed", done.Status);
        PrivacyLedgerView view = await admin2.GetPrivacyLedgerAsync(devices.Federation);
        Assert.Equal(["budget-set", "round-charged"], view.Entries.Select(e => e.Kind));
        Assert.Equal("alice", view.Entries[0].Actor);
        PrivacyLedgerLine charge = view.Entries[1];
        Assert.Equal(opened.RoundId, charge.RoundId);
        Assert.Equal(clients, charge.Survivors);

        // The accountant's epsilon for the actual survivors, recomputed from the stored plan, is the ledger row's.
        PrivacyLedger replayed = PrivacyLedger.Replay(view.Entries.Select(e => PrivacyLedgerEntry.Decode(Convert.FromHexString(e.Entry))));
        var accountant = new DistributedDpAccountant(DpRoundParameters.Create(replayed.Entries[1].Dp!).Plan);
        accountant.RecordRound(clients);
        double row = await fixture.Database.ScalarAsync<double>(
            "SELECT epsilon FROM securefed_privacy_ledger WHERE round_id = decode(@id, 'hex') AND kind = 1", ("id", opened.RoundId));
        Assert.Equal(accountant.Spent().Epsilon, row, 9);
        Assert.Equal(accountant.Spent().Epsilon, charge.RoundEpsilon!.Value, 9);
        double spent = await fixture.Database.ScalarAsync<double>(
            "SELECT spent_epsilon FROM securefed_privacy_budgets WHERE federation = @f", ("f", devices.Federation));
        Assert.Equal(view.SpentEpsilon, spent, 12);

        // The status's encoding carries the round's charged epsilon and the federation's figures.
        RoundEncodingStatus encoding = done.Encoding!;
        Assert.Equal("dp", encoding.Kind);
        Assert.True(encoding.RoundEpsilonCharged);
        Assert.Equal(accountant.Spent().Epsilon, encoding.RoundEpsilon!.Value, 9);
        Assert.Equal(view.SpentEpsilon, encoding.FederationSpentEpsilon!.Value, 12);
        Assert.Equal(view.RemainingEpsilon, encoding.FederationRemainingEpsilon!.Value, 12);

        // The transcript, built by another front end from the round's log, passes the auditor (DP record included).
        using HttpClient http = AdminHttp(0);
        using HttpResponseMessage t = await http.GetAsync(new Uri($"/admin/v1/rounds/{opened.RoundId}/transcript", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, t.StatusCode);
        AuditVerification verification = TranscriptVerifier.Verify(await t.Content.ReadAsByteArrayAsync(), keys: null);
        Assert.True(verification.Passed, Describe(verification));
        AuditCheck dp = verification.Checks.Single(c => c.Id == "dp.accountant");
        Assert.True(dp.Status == AuditCheckStatus.Passed, dp.Reason);
    }

    [PostgresFact]
    public async Task An_open_over_budget_is_refused_409_on_any_front_end_and_a_recorded_raise_admits_it()
    {
        const int clients = 4, length = 16;
        using SecureFedAdminClient admin = fixture.Admin(0);
        ClusterDevices devices = await ClusterDevices.EnrolAsync(admin, clients);
        await admin.SetPrivacyBudgetAsync(devices.Federation, 3, 1e-5);

        // z = 2 spends about 2.5 in the worst case: the first round fits and reserves it while it runs.
        RoundStatus first = await admin.OpenRoundAsync(DpRound(devices.Federation, length, 2));
        using HttpClient http = AdminHttp(1);
        using HttpResponseMessage refused = await http.PostAsJsonAsync("/admin/v1/rounds", DpRound(devices.Federation, length, 2), AdminJson.Options);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        using JsonDocument problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        JsonElement p = problem.RootElement;
        Assert.Equal("privacy-budget-exhausted", p.GetProperty("code").GetString());
        double reserved = p.GetProperty("reservedEpsilon").GetDouble(), remaining = p.GetProperty("remainingEpsilon").GetDouble();
        Assert.Equal(0, p.GetProperty("spentEpsilon").GetDouble());
        Assert.True(reserved > 0 && p.GetProperty("requestedEpsilon").GetDouble() > remaining && Math.Abs(3 - reserved - remaining) < 1e-9, p.ToString());
        Assert.Equal(1, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM securefed_rounds WHERE federation = @f", ("f", devices.Federation)));

        // Raised only upward, the raise recorded with its actor (in PostgreSQL, seen by every front end).
        using SecureFedAdminClient admin2 = fixture.Admin(2);
        var lower = await Assert.ThrowsAsync<RequestRefusedException>(() => admin2.SetPrivacyBudgetAsync(devices.Federation, 2));
        Assert.Equal("Epsilon", lower.InvalidConfiguration?.Field);
        var delta = await Assert.ThrowsAsync<RequestRefusedException>(() => admin2.SetPrivacyBudgetAsync(devices.Federation, 20, 1e-6));
        Assert.Equal("Delta", delta.InvalidConfiguration?.Field);
        PrivacyLedgerView raised = await admin2.SetPrivacyBudgetAsync(devices.Federation, 20, actor: "bob");
        Assert.Equal(["budget-set", "budget-raised"], raised.Entries.Select(e => e.Kind));
        Assert.Equal("bob", (await admin.GetPrivacyLedgerAsync(devices.Federation)).Entries[1].Actor);
        Assert.Equal("bob", await fixture.Database.ScalarAsync<string>(
            "SELECT actor FROM securefed_privacy_ledger WHERE federation = @f AND kind = 2", ("f", devices.Federation)));
        RoundStatus second = await fixture.Admin(1).OpenRoundAsync(DpRound(devices.Federation, length, 2));
        Assert.NotEqual(first.RoundId, second.RoundId);
        await admin.AbortRoundAsync(first.RoundId);
        await admin.AbortRoundAsync(second.RoundId);
        Assert.Equal(["budget-set", "budget-raised"], (await admin.GetPrivacyLedgerAsync(devices.Federation)).Entries.Select(e => e.Kind));
    }

    [PostgresFact]
    public async Task An_aborted_dp_round_releases_its_reservation_uncharged()
    {
        using SecureFedAdminClient admin = fixture.Admin(2);
        ClusterDevices devices = await ClusterDevices.EnrolAsync(admin, 4);
        await admin.SetPrivacyBudgetAsync(devices.Federation, 3, 1e-5);
        RoundStatus first = await admin.OpenRoundAsync(DpRound(devices.Federation, 16, 2));
        var refused = await Assert.ThrowsAsync<RequestRefusedException>(() => fixture.Admin(0).OpenRoundAsync(DpRound(devices.Federation, 16, 2)));
        Assert.Equal("privacy-budget-exhausted", refused.Code);

        await fixture.Admin(1).AbortRoundAsync(first.RoundId);
        RoundStatus second = await fixture.Admin(0).OpenRoundAsync(DpRound(devices.Federation, 16, 2));
        Assert.Equal("running", second.Status);
        Assert.Equal(["budget-set"], (await admin.GetPrivacyLedgerAsync(devices.Federation)).Entries.Select(e => e.Kind));
        await admin.AbortRoundAsync(second.RoundId);
    }

    // Both close paths charge: the round grain's own close (one shard) and a sharded root's completion.
    [PostgresTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_failure_between_the_outcome_and_the_ledger_write_loses_neither_they_commit_together(bool sharded)
    {
        const int clients = 5, length = 16;
        using SecureFedAdminClient admin = sharded ? fixture.Admin(0) : fixture.UnshardedAdmin();
        ClusterDevices devices = await ClusterDevices.EnrolAsync(admin, clients);
        await admin.SetPrivacyBudgetAsync(devices.Federation, 50, 1e-5);
        RoundStatus opened = await admin.OpenRoundAsync(DpRound(devices.Federation, length, 1));
        int shards = await fixture.ShardCountAsync(opened.RoundId);
        Assert.True(sharded ? shards > 1 : shards == 1, $"{shards} shards");

        // The charge's insert fails (as a crash would, after the outcome's log event was written in the same
        // transaction). A sequence counts the attempts: it is not rolled back with them.
        string sequence = "charge_attempts_" + opened.RoundId[..8];
        await fixture.Database.ExecuteAsync($"""
            CREATE SEQUENCE {sequence};
            CREATE FUNCTION fail_{sequence}() RETURNS trigger LANGUAGE plpgsql AS $f$
            BEGIN
                IF NEW.kind = 1 AND NEW.federation = '{devices.Federation}' THEN
                    PERFORM nextval('{sequence}');
                    RAISE EXCEPTION 'injected failure at the ledger write';
                END IF;
                RETURN NEW;
            END $f$;
            CREATE TRIGGER tr_fail_{sequence} BEFORE INSERT ON securefed_privacy_ledger FOR EACH ROW EXECUTE FUNCTION fail_{sequence}();
            """);
        Task<Task<FloatContributionResult>[]> running = devices.RunFloatAsync(fixture, opened.RoundId, length);
        try
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            while (await fixture.Database.ScalarAsync<long>($"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {sequence}") < 2)
            {
                await Task.Delay(200, wait.Token);
            }
            // Two completions were tried and rolled back: no outcome without its charge, no charge without its outcome.
            RoundStatus during = await StatusThroughRetriesAsync(admin, opened.RoundId, wait.Token);
            Assert.Equal("running", during.Status);
            Assert.Equal(0, await fixture.Database.ScalarAsync<long>(
                "SELECT count(*) FROM securefed_privacy_ledger WHERE round_id = decode(@id, 'hex')", ("id", opened.RoundId)));
        }
        finally
        {
            await fixture.Database.ExecuteAsync($"DROP TRIGGER tr_fail_{sequence} ON securefed_privacy_ledger");
        }

        Task<FloatContributionResult>[] runs = await running;
        Assert.All(runs, t => Assert.True(t.IsCompletedSuccessfully, t.Exception?.ToString()));
        RoundStatus done = await admin.WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(100));
        Assert.Equal("completed", done.Status);
        Assert.Equal(devices.ClientIds, done.Survivors); // nothing acknowledged was lost
        Assert.Equal(1, await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM securefed_privacy_ledger WHERE round_id = decode(@id, 'hex')", ("id", opened.RoundId)));
        PrivacyLedgerView view = await admin.GetPrivacyLedgerAsync(devices.Federation);
        Assert.Equal(["budget-set", "round-charged"], view.Entries.Select(e => e.Kind));
    }

    private HttpClient AdminHttp(int frontEnd)
    {
        HttpClient http = fixture.Http(frontEnd);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.AdminKey);
        return http;
    }

    private static string Describe(AuditVerification v) =>
        string.Join("; ", v.Checks.Where(c => c.Status == AuditCheckStatus.Failed).Select(c => $"{c.Id}: {c.Reason}"));

    // A status read that meets the round's grain while a failed completion deactivates it is answered 503
    // storage-unavailable ("retry", transport.md); a client retries that, and so does this test, then checks the answer.
    private static async Task<RoundStatus> StatusThroughRetriesAsync(SecureFedAdminClient admin, string roundId, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return await admin.GetRoundAsync(roundId, cancellationToken: ct);
            }
            catch (RequestRefusedException e) when (e.Problem == ProblemCode.StorageUnavailable)
            {
                await Task.Delay(100, ct);
            }
        }
    }
}
