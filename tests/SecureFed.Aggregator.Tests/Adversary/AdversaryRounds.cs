using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Client;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests.Adversary;

/// <summary>
/// One live service (Kestrel + SQLite on loopback) and one masking and one HE round, run once for the whole catalogue:
/// every case is sent at its point of the round it targets and its answer recorded; then the rounds finish. A failure
/// of the run itself is kept and reported by every test.
/// </summary>
public sealed class AdversaryRounds : IAsyncLifetime
{
    private readonly Dictionary<string, AdversaryOutcome> _outcomes = new(StringComparer.Ordinal);
    private LiveAggregator? _service;

    public IReadOnlyDictionary<string, AdversaryOutcome> Outcomes => _outcomes;

    public Exception? Failure { get; private set; }

    public RoundStatus? Masking { get; private set; }

    public Task<ContributionResult>[] MaskingHonest { get; private set; } = [];

    public RoundStatus? He { get; private set; }

    public Task<ContributionResult>[] HeHonest { get; private set; } = [];

    public TimeSpan Elapsed { get; private set; }

    public async Task InitializeAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            _service = await LiveAggregator.StartAsync();
            using SecureFedAdminClient admin = _service.Admin();
            using var http = new HttpClient { BaseAddress = _service.Url };
            var probe = new AdversaryProbe(_service, admin, http);

            using (MaskingAdversary masking = await MaskingAdversary.OpenAsync(probe))
            {
                MaskingHonest = await masking.RunAsync(MaskingAdversaryCases.All, _outcomes);
                Masking = await admin.GetRoundAsync(masking.RoundId);
            }
            using (HeAdversary he = await HeAdversary.OpenAsync(probe))
            {
                HeHonest = await he.RunAsync(HeAdversaryCases.All, _outcomes);
                He = await admin.GetRoundAsync(he.RoundId);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Failure = e;
        }
        Elapsed = clock.Elapsed;
    }

    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
    }
}
