using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Client;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests;

/// <summary>
/// A device that stays up encrypts its later HE rounds into the upload memory its first round used
/// (<see cref="SecureFedClientOptions.KeepHeUploadBuffer"/>), over real Kestrel and SQLite: every round's sum is exact,
/// so nothing of an earlier round leaks into a later one, and a round of another shape gets a buffer of its own.
/// </summary>
public sealed class HeKeptUploadBufferTests
{
    [Fact]
    public async Task Later_rounds_reuse_the_devices_upload_buffer_and_still_sum_exactly()
    {
        await using LiveAggregator service = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, 3);
        SecureFedClient[] devices = [.. federation.Keys.Select(k => new SecureFedClient(service.ClientOptions(), k))];
        try
        {
            // Rounds 1 and 2 share a shape; round 3 is longer, so its upload needs a new buffer.
            (int Length, int InputOffset)[] rounds = [(600, 0), (600, 3), (5000, 6)];
            foreach ((int length, int offset) in rounds)
            {
                RoundStatus opened = await HeTestRound.OpenAsync(admin, federation, decryptors: 2, threshold: 2, length);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
                await Task.WhenAll(devices.Select((d, i) => d.ContributeAsync(opened.RoundId, HeTestRound.Input(offset + i, length), cts.Token)));

                RoundStatus done = await admin.WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(50));
                Assert.Equal("completed", done.Status);
                Assert.Equal(HeTestRound.ExpectedSum([offset, offset + 1, offset + 2], length), done.Sums![0]);
            }

            Assert.All(devices, d => Assert.Equal(1, d.UploadBuffer!.Reuses)); // round 2 reused round 1's; round 3 did not
        }
        finally
        {
            foreach (SecureFedClient d in devices)
            {
                d.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_device_told_not_to_keep_the_buffer_keeps_none_and_its_rounds_still_sum_exactly()
    {
        await using LiveAggregator service = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, 3);
        SecureFedClientOptions options = service.ClientOptions();
        options.KeepHeUploadBuffer = false;
        RoundStatus opened = await HeTestRound.OpenAsync(admin, federation, decryptors: 2, threshold: 2, 600);

        await HeTestRound.RunAsync(options, federation, opened.RoundId, 600);

        RoundStatus done = await admin.WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(50));
        Assert.Equal(HeTestRound.ExpectedSum([0, 1, 2], 600), done.Sums![0]);
        using var client = new SecureFedClient(options, federation.Keys[0]);
        Assert.Null(client.UploadBuffer);
    }
}
