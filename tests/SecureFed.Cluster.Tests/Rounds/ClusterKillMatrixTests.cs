using Orleans.Runtime;
using Orleans.TestingHost;
using SecureFed.Client;
using SecureFed.Cluster.Rounds;
using SecureFed.Cluster.Tests.Support;
using SecureFed.Privacy.Accounting;
using SecureFed.Privacy.Ledger;
using SecureFed.Privacy.Rounds;
using SecureFed.Transport;
using SecureFed.Transport.Admin;
using Xunit.Abstractions;

namespace SecureFed.Cluster.Tests.Rounds;

/// <summary>
/// The silo holding a round is killed in each stage of each scheme (masking R0..R4, HE H0..H3), when the first device
/// has sent its message of that stage: the round ends with the exact sum of its survivors or a typed abort, never a
/// wrong sum, and no device whose contribution was acknowledged to completion is missing from the survivors. A fresh
/// silo replaces the killed one after each case, so every case starts on three silos. Small rounds keep the run short.
/// DP rounds (masking R3, HE H2) add the privacy ledger: charged exactly once for a completed round, never for an aborted one.
/// </summary>
[Collection(ClusterRoundsCollection.Name)]
public sealed class ClusterKillMatrixTests(ClusterRoundsFixture fixture, ITestOutputHelper output) : IClassFixture<ClusterRoundsFixture>
{
    [PostgresTheory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Killing_the_silo_of_a_masking_round_in_stage_R_ends_it_exact_or_typed(int stage)
    {
        const int clients = 8, length = 16;
        using SecureFedAdminClient admin = fixture.Admin(stage);
        ClusterDevices devices = await ClusterDevices.EnrolAsync(admin, clients);
        RoundStatus opened = await devices.OpenMaskingAsync(admin, length);
        await RunKillCheckAsync(devices, opened.RoundId, stage, i => ClusterDevices.MaskingInput(i, length), length);
    }

    [PostgresTheory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Killing_the_silo_of_an_HE_round_in_stage_H_ends_it_exact_or_typed(int stage)
    {
        const int clients = 6, length = 16;
        using SecureFedAdminClient admin = fixture.Admin(stage);
        ClusterDevices devices = await ClusterDevices.EnrolAsync(admin, clients);
        RoundStatus opened = await devices.OpenHeAsync(admin, length, decryptors: 3, threshold: 2);
        await RunKillCheckAsync(devices, opened.RoundId, stage, i => ClusterDevices.HeInput(i, length), length);
    }

    /// <summary>
    /// A DP round (masking: its root's silo killed in R3, after the masked inputs; HE: in H2) ends with the exact sum
    /// of its survivors' noisy encoded inputs and the federation's ledger charged exactly once, for those survivors (or,
    /// aborted, not at all): the charge commits with the outcome, so a replay on another silo neither loses nor repeats it.
    /// </summary>
    [PostgresTheory]
    [InlineData(Schemes.Masking, 3)]
    [InlineData(Schemes.He, 2)]
    public async Task Killing_the_silo_of_a_dp_round_ends_it_exact_and_charges_the_ledger_exactly_once(string scheme, int stage)
    {
        const int clients = 6, length = 16;
        using SecureFedAdminClient admin = fixture.Admin(stage);
        ClusterDevices devices = await ClusterDevices.EnrolAsync(admin, clients);
        await admin.SetPrivacyBudgetAsync(devices.Federation, 50, 1e-5);
        bool he = scheme == Schemes.He;
        RoundStatus opened = await admin.OpenRoundAsync(new OpenRoundRequest
        {
            Federation = devices.Federation,
            Scheme = scheme,
            He = he ? new HeRoundRequest { Decryptors = [.. devices.ClientIds.Take(3)], Threshold = 2, MinimumClients = 3 } : null,
            Float = new FloatEncodingRequest { Length = length, ClipNorm = 1 },
            Dp = new DpRoundRequest { NoiseMultiplier = 1, MinimumSurvivors = 3 },
            StageDeadlineSeconds = 60,
        });
        (ulong[][] inputs, int bits) = await devices.EncodeDpUpdatesAsync(fixture, opened.RoundId, length);
        RoundStatus done = await RunKillCheckAsync(devices, opened.RoundId, stage, i => inputs[i], inputs[0].Length, bits);

        PrivacyLedgerView view = await fixture.Admin(0).GetPrivacyLedgerAsync(devices.Federation);
        long charges = await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM securefed_privacy_ledger WHERE round_id = decode(@id, 'hex')", ("id", opened.RoundId));
        output.WriteLine($"ledger: {string.Join(", ", view.Entries.Select(e => e.Kind))}; rows for the round: {charges}");
        if (done.Status != "completed")
        {
            Assert.Equal(0, charges);
            Assert.Equal(["budget-set"], view.Entries.Select(e => e.Kind));
            return;
        }
        Assert.Equal(1, charges);
        Assert.Equal(["budget-set", "round-charged"], view.Entries.Select(e => e.Kind));
        PrivacyLedgerLine charge = view.Entries[1];
        Assert.Equal(opened.RoundId, charge.RoundId);
        Assert.Equal(done.Survivors!.Count, charge.Survivors);
        // The charge is the accountant's for the survivors the round published, and the budget row adds up to it.
        PrivacyLedger replayed = PrivacyLedger.Replay(view.Entries.Select(e => PrivacyLedgerEntry.Decode(Convert.FromHexString(e.Entry))));
        var accountant = new DistributedDpAccountant(DpRoundParameters.Create(replayed.Entries[1].Dp!).Plan);
        accountant.RecordRound(done.Survivors.Count);
        Assert.Equal(accountant.Spent().Epsilon, charge.RoundEpsilon!.Value, 9);
        Assert.Equal(view.SpentEpsilon, charge.RoundEpsilon.Value, 9);
        Assert.Equal(view.SpentEpsilon, await fixture.Database.ScalarAsync<double>(
            "SELECT spent_epsilon FROM securefed_privacy_budgets WHERE federation = @f", ("f", devices.Federation)), 12);
        Assert.True(done.Encoding!.RoundEpsilonCharged);
    }

    private async Task<RoundStatus> RunKillCheckAsync(ClusterDevices devices, string roundId, int stage, Func<int, ulong[]> input, int length, int bits = 32)
    {
        IRoundGrain grain = fixture.Cluster.Client.GetGrain<IRoundGrain>(roundId);
        SiloAddress before = await grain.Silo();
        SiloHandle victim = fixture.Cluster.Silos.Single(s => s.SiloAddress.Equals(before));
        Task? kill = null;
        int killed = 0;
        Task<ContributionResult>[] runs;
        try
        {
            runs = await devices.RunAsync(fixture, roundId, input, (_, e) =>
            {
                if (e.Step == "sent" && e.Stage == stage && Interlocked.Exchange(ref killed, 1) == 0)
                {
                    kill = Task.Run(() => fixture.Cluster.KillSiloAsync(victim));
                }
            });
            Assert.True(killed == 1, $"no device sent a message in stage {stage}");
            await kill!;
        }
        finally
        {
            // The next case starts on three silos again, whatever happened here.
            if (kill is not null)
            {
                await kill;
                await fixture.Cluster.StartAdditionalSiloAsync();
            }
        }
        using SecureFedAdminClient other = fixture.Admin(stage + 1);
        RoundStatus done = await other.WaitForRoundAsync(roundId, TimeSpan.FromMilliseconds(200));
        SiloAddress after = await grain.Silo();
        output.WriteLine($"stage {stage}: killed {before}, round now on {after}: {done.Status} {done.AbortReason} survivors {done.Survivors?.Count}; " +
            $"devices completed {runs.Count(r => r.IsCompletedSuccessfully)}/{runs.Length}");
        Assert.NotEqual(before, after);

        if (done.Status == "completed")
        {
            int[] survivors = [.. done.Survivors!.Select(id => devices.ClientIds.ToList().IndexOf(id))];
            Assert.DoesNotContain(-1, survivors);
            ulong[] expected = ClusterDevices.Sum(survivors, input, length, bits);
            Assert.Equal(expected, done.Sums![0]);
            // A device told its contribution completed is a survivor (and an HE device learns the published sum).
            for (int i = 0; i < runs.Length; i++)
            {
                if (runs[i].IsCompletedSuccessfully)
                {
                    Assert.Contains(devices.ClientIds[i], done.Survivors!);
                    if (runs[i].Result.Sum is { } sum)
                    {
                        Assert.Equal(expected, sum);
                    }
                }
            }
        }
        else
        {
            Assert.Equal("aborted", done.Status);
            Assert.False(string.IsNullOrEmpty(done.AbortReason));
            Assert.Null(done.Sums);
            // A masking device completes once it has revealed its R4 shares, before the server holds the sum, so a
            // round that then aborts in R4 (too few responders before the deadline, as on a loaded machine) can have
            // completed masking devices; an HE device completes only with the published sum. So: no device holds a sum.
            Assert.DoesNotContain(runs, r => r.IsCompletedSuccessfully && r.Result.Sum is not null);
        }
        return done;
    }
}
