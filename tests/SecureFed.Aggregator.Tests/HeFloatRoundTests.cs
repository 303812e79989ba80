using System.Net.Http.Headers;
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
/// Float and DP HE rounds over the real service (Kestrel and SQLite on 127.0.0.1): the same open request, encoding,
/// device encoder and ledger as masking rounds; the HE round sums the encoding's vectors joined into one.
/// </summary>
public sealed class HeFloatRoundTests
{
    private static OpenRoundRequest HeRound(TestFederation federation, int decryptors, FloatEncodingRequest f, DpRoundRequest? dp = null) => new()
    {
        Federation = federation.Name,
        Scheme = Schemes.He,
        He = new HeRoundRequest { Decryptors = [.. federation.ClientIds.Take(decryptors)], Threshold = 2 },
        Float = f,
        Dp = dp,
        StageDeadlineSeconds = 60,
    };

    [Fact]
    public async Task An_HE_float_round_returns_every_device_the_weighted_average_within_the_encodings_error_bound()
    {
        const int clients = 5, length = 40;
        const double clip = 2.0;
        await using LiveAggregator service = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
        RoundStatus opened = await admin.OpenRoundAsync(HeRound(federation, 3, new FloatEncodingRequest { Length = length, ClipNorm = clip, Bits = 32, MaxWeight = 4 }));
        Assert.Equal("he", opened.Scheme);

        float[][] updates = [.. Enumerable.Range(0, clients).Select(i => FloatDevices.Update(i, length, i % 2 == 1 ? 3.5 : 1.2))];
        double[] weights = [1, 2.5, 0.3333333, 4, 1];
        FloatContributionResult[] results = await FloatDevices.ContributeAsync(federation, service.ClientOptions(), opened.RoundId, updates, weights);

        double[] expected = FloatDevices.ExpectedAverage(updates, weights, clip);
        foreach (FloatContributionResult r in results)
        {
            Assert.Equal(federation.ClientIds, r.Survivors);
            Assert.True(double.IsFinite(r.ErrorBound) && r.ErrorBound > 0 && r.ErrorBound < 1e-6, $"error bound {r.ErrorBound}");
            Assert.Equal(weights.Sum(w => Math.Round(w * 65536) / 65536), r.WeightSum, 12);
            double worst = expected.Select((e, i) => Math.Abs(r.Average[i] - e)).Max();
            Assert.True(worst <= r.ErrorBound, $"worst error {worst} above the bound {r.ErrorBound}");
            Assert.Equal(results[0].Average, r.Average);
        }
        Assert.Equal([false, true, false, true, false], results.Select(r => r.Clipped));
        RoundStatus done = await admin.GetRoundAsync(opened.RoundId, includeSums: true);
        Assert.Equal(length + 1, done.Sums![0].Length); // the update and the weight, joined into the one vector HE sums
        Assert.Equal("float", done.Encoding!.Kind);
        Assert.Equal((length, clip, 4.0, 32), (done.Encoding.Length, done.Encoding.ClipNorm, done.Encoding.MaxWeight, done.Encoding.Bits));
        Assert.Null(done.Encoding.RoundEpsilon);
    }

    [Fact]
    public async Task An_HE_dp_rounds_ledger_entry_matches_the_accountant_and_its_transcript_carries_the_dp_record()
    {
        const int clients = 5, length = 30;
        await using LiveAggregator service = await LiveAggregator.StartAsync("--Aggregator:TranscriptsEnabled=true");
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
        var dp = new DpRoundRequest { NoiseMultiplier = 1, MinimumSurvivors = 3 };
        var unset = await Assert.ThrowsAsync<RequestRefusedException>(() => admin.OpenRoundAsync(HeRound(federation, 3, new FloatEncodingRequest { Length = length, ClipNorm = 1 }, dp)));
        Assert.Equal(ProblemCode.PrivacyBudgetUnset, unset.Problem);
        await admin.SetPrivacyBudgetAsync(federation.Name, 50, 1e-5);
        // The noise must be sized for no more survivors than the round can complete with (He.MinimumClients).
        OpenRoundRequest fewer = HeRound(federation, 3, new FloatEncodingRequest { Length = length, ClipNorm = 1 }, new DpRoundRequest { NoiseMultiplier = 1, MinimumSurvivors = 2 });
        fewer.He!.MinimumClients = 1;
        var tooMany = await Assert.ThrowsAsync<RequestRefusedException>(() => admin.OpenRoundAsync(fewer));
        Assert.Equal("Dp.MinimumSurvivors", tooMany.InvalidConfiguration?.Field);

        OpenRoundRequest request = HeRound(federation, 3, new FloatEncodingRequest { Length = length, ClipNorm = 1 }, dp);
        request.He!.MinimumClients = 3;
        RoundStatus opened = await admin.OpenRoundAsync(request);
        // While it runs, the status shows the worst case the budget reserves.
        Assert.Equal("dp", opened.Encoding!.Kind);
        Assert.Equal(false, opened.Encoding.RoundEpsilonCharged);
        Assert.Equal(3, opened.Encoding.MinimumSurvivors);
        Assert.Equal(1, opened.Encoding.NoiseMultiplier!.Value, 6);
        Assert.True(opened.Encoding.RoundEpsilon > 0);
        Assert.Equal(50, opened.Encoding.FederationRemainingEpsilon);
        float[][] updates = [.. Enumerable.Range(0, clients).Select(i => FloatDevices.Update(i, length, 0.8))];
        double[] ones = [.. Enumerable.Repeat(1.0, clients)];
        FloatContributionResult[] results = await FloatDevices.ContributeAsync(federation, service.ClientOptions(), opened.RoundId, updates, ones);

        double[] expected = FloatDevices.ExpectedAverage(updates, ones, 1);
        FloatContributionResult r0 = results[0];
        Assert.True(r0.NoiseStdDev > 0 && double.IsPositiveInfinity(r0.ErrorBound));
        double rms = Math.Sqrt(expected.Select((e, i) => (r0.Average[i] - e) * (r0.Average[i] - e)).Average());
        Assert.InRange(rms, r0.NoiseStdDev * 0.4, r0.NoiseStdDev * 1.6);

        // The ledger is charged like a masking round's: the accountant for the actual contributors.
        PrivacyLedgerView view = await admin.GetPrivacyLedgerAsync(federation.Name);
        Assert.Equal(["budget-set", "round-charged"], view.Entries.Select(e => e.Kind));
        PrivacyLedgerLine charge = view.Entries[1];
        Assert.Equal(opened.RoundId, charge.RoundId);
        Assert.Equal(clients, charge.Survivors);
        PrivacyLedgerEntry entry = PrivacyLedger.Replay(view.Entries.Select(e => PrivacyLedgerEntry.Decode(Convert.FromHexString(e.Entry)))).Entries[1];
        var accountant = new DistributedDpAccountant(DpRoundParameters.Create(entry.Dp!).Plan);
        accountant.RecordRound(clients);
        Assert.Equal(accountant.Spent().Epsilon, charge.RoundEpsilon!.Value, 9);
        RoundEncodingStatus charged = (await admin.GetRoundAsync(opened.RoundId, includeSums: false)).Encoding!;
        Assert.Equal(true, charged.RoundEpsilonCharged);
        Assert.Equal(charge.RoundEpsilon!.Value, charged.RoundEpsilon!.Value, 9);
        Assert.Equal(view.SpentEpsilon, charged.FederationSpentEpsilon!.Value, 9);
        Assert.Equal(view.RemainingEpsilon, charged.FederationRemainingEpsilon!.Value, 9);

        // The HE transcript carries the DP record and the auditor recomputes the claimed epsilon.
        using var http = new HttpClient { BaseAddress = service.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", service.AdminKey);
        using HttpResponseMessage t = await http.GetAsync($"/admin/v1/rounds/{opened.RoundId}/transcript");
        Assert.True(t.IsSuccessStatusCode);
        AuditVerification verification = TranscriptVerifier.Verify(await t.Content.ReadAsByteArrayAsync(), keys: null);
        AuditCheck check = verification.Checks.Single(c => c.Id == "dp.accountant");
        Assert.True(check.Status == AuditCheckStatus.Passed, check.Reason);
    }

    [Fact]
    public async Task HE_settings_that_contradict_the_float_encoding_are_refused_naming_the_field()
    {
        await using LiveAggregator service = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, 4);
        await admin.SetPrivacyBudgetAsync(federation.Name, 100, 1e-5);
        var f = new FloatEncodingRequest { Length = 8, ClipNorm = 1 };
        foreach (var (change, field) in new (Action<OpenRoundRequest>, string)[]
        {
            (r => r.He!.VectorLength = 8, "He.VectorLength"),
            (r => r.He!.InputRange = 100, "He.InputRange"),
            (r => r.He!.Bits = 24, "He.Bits"),
            (r => r.Float = new FloatEncodingRequest { Length = 8, ClipNorm = 1, Bits = 16, MaxWeight = 16 }, "Float.MaxWeight"), // the weight sum cannot fit 16 bits
            (r => { r.Dp = new DpRoundRequest { NoiseMultiplier = 1, MinimumSurvivors = 1 }; r.He!.Lanes = 2; }, "He.Lanes"),
        })
        {
            OpenRoundRequest request = HeRound(federation, 3, new FloatEncodingRequest { Length = f.Length, ClipNorm = f.ClipNorm });
            change(request);
            var e = await Assert.ThrowsAsync<RequestRefusedException>(() => admin.OpenRoundAsync(request));
            Assert.True(e.StatusCode == 400 && e.InvalidConfiguration?.Field == field, $"{field}: {e.StatusCode} {e.InvalidConfiguration?.Field} {e.Message}");
        }
    }
}
