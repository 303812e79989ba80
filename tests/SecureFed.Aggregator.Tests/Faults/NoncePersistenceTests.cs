using System.Net;
using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Client;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests.Faults;

/// <summary>
/// Fault matrix, replay across a restart: request nonces are persisted, so a signed request captured before the service
/// was killed with SIGKILL is refused as replayed after it restarts (inside the replay window), while a fresh request
/// from the same key is answered.
/// </summary>
public sealed class NoncePersistenceTests
{
    [Fact]
    public async Task A_request_captured_before_a_kill_is_refused_as_replayed_after_the_restart()
    {
        using var folder = new TempFolder();
        string db = folder.File("securefed.db");
        var url = new Uri($"http://127.0.0.1:{ServiceProcess.FreePort()}");
        ServiceProcess service = await ServiceProcess.StartAsync(db, url);
        try
        {
            using var admin = new SecureFedAdminClient(url, File.ReadAllText(folder.File("securefed-admin.key")).Trim());
            TestFederation federation = await TestFederation.EnrolAsync(admin, 3);
            RoundStatus round = await federation.OpenRoundAsync(admin, 4, 32);
            using var http = new HttpClient { BaseAddress = url };
            var raw = new RawClient(http, federation.Keys[0].LoadIdentity());
            string path = $"/v1/rounds/{round.RoundId}";
            HttpRequestMessage original = raw.Signed(HttpMethod.Get, path, null);
            HttpRequestMessage capturedBefore = await RawClient.CloneAsync(original);
            HttpRequestMessage capturedAfter = await RawClient.CloneAsync(original);
            using (HttpResponseMessage first = await http.SendAsync(original))
            {
                Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            }
            using (HttpResponseMessage replay = await http.SendAsync(capturedBefore))
            {
                Assert.Equal("replayed", await RawClient.ProblemCodeAsync(replay));
            }

            service.Kill();
            service.Dispose();
            service = await ServiceProcess.StartAsync(db, url);

            using (HttpResponseMessage replay = await http.SendAsync(capturedAfter))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
                Assert.Equal("replayed", await RawClient.ProblemCodeAsync(replay));
            }
            using (HttpResponseMessage fresh = await http.SendAsync(raw.Signed(HttpMethod.Get, path, null)))
            {
                Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
            }
        }
        finally
        {
            service.Dispose();
        }
    }
}
