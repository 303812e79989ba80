using Microsoft.Extensions.DependencyInjection;
using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Client;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests.Faults;

/// <summary>
/// Fault matrix, clock jumps: the service's wall clock (its injected TimeProvider) steps back 15 minutes before a round
/// runs, then 30 minutes forward while a stage waits for a device that went offline. Deadlines move with the clock and
/// nothing else does: the waiting stage closes at once, the round completes with the exact sum of the devices that
/// stayed, a restart on the same database serves the same result, and an enrolment token issued before the forward jump
/// has expired (a typed refusal, not a corruption). The replay window is widened to an hour so the devices' own (unjumped)
/// request timestamps stay inside it; a jump larger than the window is refused as stale-request (RefusalTests).
/// </summary>
public sealed class ClockJumpTests
{
    private const int Clients = 4, Length = 32, Bits = 32;

    [Fact]
    public async Task Clock_jumps_move_deadlines_only_and_the_round_completes_with_the_exact_sum()
    {
        var clock = new ShiftedClock();
        LiveAggregator service = await LiveAggregator.StartAsync(b => b.Services.AddSingleton<TimeProvider>(clock), "--Aggregator:ReplayWindowSeconds=3600");
        try
        {
            SecureFedAdminClient admin = service.Admin();
            TestFederation federation = await TestFederation.EnrolAsync(admin, Clients);
            clock.Offset = TimeSpan.FromMinutes(-15);
            RoundStatus round = await federation.OpenRoundAsync(admin, Length, Bits, deadlineSeconds: 600, threshold: 3);
            EnrolmentTokenResponse token = await admin.CreateEnrolmentTokenAsync(federation.Name, TimeSpan.FromMinutes(5));

            // Device 3 goes offline before R2, so R2 can only close by its 10-minute deadline.
            Task<Task<ContributionResult>[]> run = federation.RunAsync(service.ClientOptions(), round.RoundId, Length, Bits, new Dictionary<int, int> { [3] = 2 });
            for (int i = 0; i < 1200 && await admin.GetRoundAsync(round.RoundId, includeSums: false) is not { Stage: 2, Received: 3 }; i++)
            {
                await Task.Delay(50);
            }
            RoundStatus waiting = await admin.GetRoundAsync(round.RoundId, includeSums: false);
            Assert.Equal((2, 3, "running"), (waiting.Stage!.Value, waiting.Received, waiting.Status));

            clock.Offset = TimeSpan.FromMinutes(15);
            Task<ContributionResult>[] runs = await run;
            RoundStatus done = await admin.WaitForRoundAsync(round.RoundId, TimeSpan.FromMilliseconds(50));
            Assert.Equal("completed", done.Status);
            Assert.Equal(federation.ClientIds.Take(3), done.Survivors);
            Assert.Equal(TestFederation.ExpectedSum([0, 1, 2], Length, Bits), done.Sums![0]);
            Assert.All(runs.Take(3), t => Assert.True(t.IsCompletedSuccessfully, t.Exception?.ToString()));

            using (var newcomer = new SecureFedClient(service.ClientOptions(), SeedKeyStore.For("newcomer", 0)))
            {
                var expired = await Assert.ThrowsAsync<RequestRefusedException>(() => newcomer.EnrolAsync(token.Token));
                Assert.Equal(ProblemCode.InvalidToken, expired.Problem);
            }

            admin.Dispose();
            service = await service.RestartAsync("--Aggregator:ReplayWindowSeconds=3600");
            admin = service.Admin();
            RoundStatus reloaded = await admin.GetRoundAsync(round.RoundId);
            Assert.Equal(done.Status, reloaded.Status);
            Assert.Equal(done.Survivors, reloaded.Survivors);
            Assert.Equal(done.Sums![0], reloaded.Sums![0]);
            admin.Dispose();
        }
        finally
        {
            await service.DisposeAsync();
        }
    }
}
