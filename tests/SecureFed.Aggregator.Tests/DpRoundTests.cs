using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Audit.Verification;
using SecureFed.Client;
using SecureFed.Privacy.Accounting;
using SecureFed.Privacy.Ledger;
using SecureFed.Privacy.Rounds;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests;

/// <summary>
/// Distributed DP in hosted rounds with the per-federation privacy ledger, over the real service: the charge of a
/// completed round matches the accountant for its actual survivors, an open over budget is refused with the figures,
/// the budget is raised only upward and the raise is recorded, invalid DP parameters are refused naming the field.
/// </summary>
public sealed class DpRoundTests
{
    private static OpenRoundRequest DpRound(string federation, int length, double? z = 1.0, double? target = null) => new()
    {
        Federation = federation,
        Float = new FloatEncodingRequest { Length = length, ClipNorm = 1 },
        Dp = new DpRoundRequest { NoiseMultiplier = z, TargetEpsilon = target },
    };

    [Fact]
    public async Task A_dp_rounds_ledger_entry_matches_the_accountant_and_its_transcript_passes_the_epsilon_check()
    {
        const int clients = 5, length = 60;
        await using LiveAggregator service = await LiveAggregator.StartAsync("--Aggregator:TranscriptsEnabled=true");
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
        var unset = await Assert.ThrowsAsync<RequestRefusedException>(() => admin.OpenRoundAsync(DpRound(federation.Name, length)));
        Assert.Equal(ProblemCode.PrivacyBudgetUnset, unset.Problem);

        await admin.SetPrivacyBudgetAsync(federation.Name, 50, 1e-5, actor: "alice");
        RoundStatus opened = await admin.OpenRoundAsync(DpRound(federation.Name, length));
        float[][] updates = [.. Enumerable.Range(0, clients).Select(i => FloatDevices.Update(i, length, 0.8))];
        FloatContributionResult[] results = await FloatDevices.ContributeAsync(federation, service.ClientOptions(), opened.RoundId, updates, [.. Enumerable.Repeat(1.0, clients)]);

        // The noisy average is near the true one: noise std dev z c / n per coordinate, plus rounding.
        double[] expected = FloatDevices.ExpectedAverage(updates, [.. Enumerable.Repeat(1.0, clients)], 1);
        FloatContributionResult r0 = results[0];
        Assert.True(r0.NoiseStdDev > 0 && double.IsPositiveInfinity(r0.ErrorBound));
        double rms = Math.Sqrt(expected.Select((e, i) => (r0.Average[i] - e) * (r0.Average[i] - e)).Average());
        Assert.InRange(rms, r0.NoiseStdDev * 0.5, r0.NoiseStdDev * 1.5);

        PrivacyLedgerView view = await admin.GetPrivacyLedgerAsync(federation.Name);
        Assert.Equal(["budget-set", "round-charged"], view.Entries.Select(e => e.Kind));
        Assert.Equal("alice", view.Entries[0].Actor);
        PrivacyLedgerLine charge = view.Entries[1];
        Assert.Equal(opened.RoundId, charge.RoundId);
        Assert.Equal(clients, charge.Survivors);

        // Anyone can replay the stored entries: the RDP is recomputed from each plan and survivor count.
        PrivacyLedger replayed = PrivacyLedger.Replay(view.Entries.Select(e => PrivacyLedgerEntry.Decode(Convert.FromHexString(e.Entry))));
        PrivacyLedgerEntry entry = replayed.Entries[1];
        var accountant = new DistributedDpAccountant(DpRoundParameters.Create(entry.Dp!).Plan);
        accountant.RecordRound(clients);
        Assert.Equal(accountant.Spent().Epsilon, charge.RoundEpsilon!.Value, 9);
        Assert.Equal(RdpConversion.ToEpsilon(PrivacyLedger.Orders, [.. DpRoundParameters.Create(entry.Dp!).RoundRdp(clients)], 1e-5).Epsilon, view.SpentEpsilon, 9);
        Assert.Equal(50 - view.SpentEpsilon, view.RemainingEpsilon, 9);

        using var http = AdminHttp(service);
        using HttpResponseMessage t = await http.GetAsync($"/admin/v1/rounds/{opened.RoundId}/transcript");
        Assert.True(t.IsSuccessStatusCode);
        AuditVerification verification = TranscriptVerifier.Verify(await t.Content.ReadAsByteArrayAsync(), keys: null);
        AuditCheck dp = verification.Checks.Single(c => c.Id == "dp.accountant");
        Assert.True(dp.Status == AuditCheckStatus.Passed, dp.Reason);
    }

    [Fact]
    public async Task An_open_over_budget_is_refused_409_naming_spent_requested_and_remaining_and_a_recorded_raise_admits_it()
    {
        const int clients = 4, length = 16;
        await using LiveAggregator service = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
        await admin.SetPrivacyBudgetAsync(federation.Name, 3, 1e-5);

        // z = 2 spends about 2.5 in the worst case: the first round fits, and while it is open it reserves its worst case.
        RoundStatus first = await admin.OpenRoundAsync(DpRound(federation.Name, length, z: 2));
        using var http = AdminHttp(service);
        using HttpResponseMessage refused = await http.PostAsJsonAsync("/admin/v1/rounds", DpRound(federation.Name, length, z: 2), AdminJson.Options);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        using JsonDocument problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        JsonElement p = problem.RootElement;
        Assert.Equal("privacy-budget-exhausted", p.GetProperty("code").GetString());
        double spent = p.GetProperty("spentEpsilon").GetDouble(), reserved = p.GetProperty("reservedEpsilon").GetDouble();
        double requested = p.GetProperty("requestedEpsilon").GetDouble(), remaining = p.GetProperty("remainingEpsilon").GetDouble();
        Assert.Equal(0, spent);
        Assert.True(reserved > 0 && requested > remaining && Math.Abs(3 - reserved - remaining) < 1e-9, p.ToString());
        Assert.Contains("requests up to", p.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The budget is raised only upward, and the raise is recorded with its actor.
        var lower = await Assert.ThrowsAsync<RequestRefusedException>(() => admin.SetPrivacyBudgetAsync(federation.Name, 2));
        Assert.Equal("Epsilon", lower.InvalidConfiguration?.Field);
        var delta = await Assert.ThrowsAsync<RequestRefusedException>(() => admin.SetPrivacyBudgetAsync(federation.Name, 20, 1e-6));
        Assert.Equal("Delta", delta.InvalidConfiguration?.Field);
        PrivacyLedgerView raised = await admin.SetPrivacyBudgetAsync(federation.Name, 20, actor: "bob");
        Assert.Equal(["budget-set", "budget-raised"], raised.Entries.Select(e => e.Kind));
        Assert.Equal("bob", raised.Entries[1].Actor);
        Assert.Equal(20, raised.BudgetEpsilon);
        RoundStatus second = await admin.OpenRoundAsync(DpRound(federation.Name, length, z: 2));
        Assert.NotEqual(first.RoundId, second.RoundId);

        // The ledger survives a restart and replays.
        await using LiveAggregator restarted = await service.RestartAsync();
        using SecureFedAdminClient admin2 = restarted.Admin();
        Assert.Equal(20, (await admin2.GetPrivacyLedgerAsync(federation.Name)).BudgetEpsilon);
    }

    [Fact]
    public async Task Invalid_dp_parameters_are_refused_at_open_naming_the_field()
    {
        await using LiveAggregator service = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, 4);
        await admin.SetPrivacyBudgetAsync(federation.Name, 100, 1e-5);
        foreach (var (request, field) in new (OpenRoundRequest, string)[]
        {
            (DpRound(federation.Name, 16, z: null, target: 0), "Dp.TargetEpsilon"),
            (DpRound(federation.Name, 16, z: null, target: -1), "Dp.TargetEpsilon"),
            (WithDp(DpRound(federation.Name, 16), d => d.Delta = 1.5), "Dp.Delta"),
            (WithDp(DpRound(federation.Name, 16), d => d.Delta = 0), "Dp.Delta"),
            (WithFloat(DpRound(federation.Name, 16), f => f.ClipNorm = 0), "Float.ClipNorm"),
            (WithFloat(DpRound(federation.Name, 16), f => f.ClipNorm = -1), "Float.ClipNorm"),
            (WithDp(DpRound(federation.Name, 16), d => d.MinimumSurvivors = 4), "Dp.MinimumSurvivors"), // threshold is 3 of 4
            (WithFloat(DpRound(federation.Name, 16), f => f.MaxWeight = 2), "Float.MaxWeight"),
            (WithDp(DpRound(federation.Name, 16, z: 0.01, target: 1), _ => { }), "Dp.NoiseMultiplier"), // z misses the target
            (new OpenRoundRequest { Federation = federation.Name, Dp = new DpRoundRequest { NoiseMultiplier = 1 } }, "Float"),
        })
        {
            var e = await Assert.ThrowsAsync<RequestRefusedException>(() => admin.OpenRoundAsync(request));
            Assert.True(e.StatusCode == 400 && e.InvalidConfiguration?.Field == field, $"{field}: {e.StatusCode} {e.InvalidConfiguration?.Field} {e.Message}");
        }
        Assert.Equal(["budget-set"], (await admin.GetPrivacyLedgerAsync(federation.Name)).Entries.Select(e => e.Kind));
    }

    private static OpenRoundRequest WithDp(OpenRoundRequest r, Action<DpRoundRequest> change)
    {
        change(r.Dp!);
        return r;
    }

    private static OpenRoundRequest WithFloat(OpenRoundRequest r, Action<FloatEncodingRequest> change)
    {
        change(r.Float!);
        return r;
    }

    private static HttpClient AdminHttp(LiveAggregator service)
    {
        var http = new HttpClient { BaseAddress = service.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", service.AdminKey);
        return http;
    }
}
