using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using SecureFed.Aggregator;
using SecureFed.Client;
using SecureFed.Primitives.Randomness;
using SecureFed.Transport.Admin;

namespace SecureFed.Samples.FederatedTraining;

/// <summary>
/// FedAvg over the real service: a SecureFed aggregator (Kestrel + SQLite on 127.0.0.1 started here, or the one at
/// --server), one enrolled device per client, and every round a float masking round (optionally with distributed DP)
/// opened through the admin API over that round's sampled clients (the request's Clients), which contribute
/// concurrently through <see cref="SecureFedClient"/>.
/// The server's update is the average the devices decode. Prints per round the seconds, the bytes on the wire and,
/// with DP, the epsilon the federation's privacy ledger says is spent.
/// </summary>
internal sealed class ServiceAggregator : IUpdateAggregator, IDisposable
{
    private readonly WebApplication? _app;
    private readonly string _folder;
    private readonly SecureFedAdminClient _admin;
    private readonly SecureFedClient[] _devices;
    private readonly ByteCounter _bytes = new();
    private readonly HttpClient _http;
    private readonly string _federation;
    private readonly int _dimension;
    private readonly TrainingOptions _training;
    private readonly uint _maxWeight;
    private readonly TextWriter _progress;
    private readonly IReadOnlyList<uint> _clientIds;
    private double _spent;

    public ServiceAggregator(bool dp, Uri? server, string? adminKey, int clients, int dimension, uint maxWeight, TrainingOptions training, TextWriter progress)
    {
        Dp = dp;
        _dimension = dimension;
        _training = training;
        _maxWeight = maxWeight;
        _progress = progress;
        _folder = Directory.CreateTempSubdirectory("securefed-training-").FullName;
        if (server is null)
        {
            _app = AggregatorApplication.Build(
            [
                "--urls", "http://127.0.0.1:0", $"--Aggregator:DatabasePath={Path.Combine(_folder, "securefed.db")}",
                "--Aggregator:DeadlineCheckMilliseconds=50", "--Aggregator:ClientRequestsPerSecond=100000", "--Aggregator:ClientRequestBurst=100000",
                "--Logging:LogLevel:Default=Warning",
            ]);
            _app.StartAsync().GetAwaiter().GetResult();
            server = new Uri(_app.Urls.First());
            adminKey = File.ReadAllText(AggregatorApplication.AdminKeyFilePath(_app)).Trim();
        }
        _admin = new SecureFedAdminClient(server, adminKey ?? throw new SampleUsageException("--server needs --admin-key-file"));
        _http = new HttpClient(new ByteCounter.Handler(_bytes)) { Timeout = Timeout.InfiniteTimeSpan };
        var options = new SecureFedClientOptions { ServerUrl = server, PollWait = TimeSpan.FromSeconds(10), RetryBaseDelay = TimeSpan.FromMilliseconds(50) };
        _devices = [.. Enumerable.Range(0, clients).Select(i =>
            new SecureFedClient(options, FileIdentityKeyStore.CreateNew(Path.Combine(_folder, $"device{i}.key"), SystemRandomSource.Instance), _http))];
        _federation = "training-" + Guid.NewGuid().ToString("N")[..8];
        _clientIds = _admin.EnrolKeysAsync(_federation, _devices.Select(d => d.PublicKey)).GetAwaiter().GetResult();
        if (dp)
        {
            // The plan targets DpEpsilon over all rounds; the budget leaves 1% for the ledger's own order grid.
            _admin.SetPrivacyBudgetAsync(_federation, training.DpEpsilon * 1.01, training.DpDelta, "sample").GetAwaiter().GetResult();
        }
    }

    public bool Dp { get; }

    public string Name => Dp ? "service-dp" : "service";

    public AggregationOutcome Aggregate(int round, IReadOnlyList<ClientUpdate> updates)
    {
        var wall = Stopwatch.StartNew();
        long bytesBefore = _bytes.Total;
        // Client sampling: the round's roster is this round's sampled clients (the same ones for every method); a DP
        // round's charge goes to the federation's one ledger, with the epsilon of its actual survivors.
        RoundStatus opened = _admin.OpenRoundAsync(new OpenRoundRequest
        {
            Federation = _federation,
            Clients = [.. updates.Select(u => _clientIds[u.Client])],
            StageDeadlineSeconds = 120,
            // Without DP the clip is the coordinate range's norm (no delta reaches it) and 64 bits, so the average is the
            // float FedAvg to rounding; with DP the plan's clip and noise.
            Float = Dp
                ? new FloatEncodingRequest { Length = _dimension, ClipNorm = _training.DpClipNorm }
                : new FloatEncodingRequest { Length = _dimension, ClipNorm = _training.QuantizationRange * Math.Sqrt(_dimension), Bits = 64, MaxWeight = _maxWeight },
            Dp = Dp ? new DpRoundRequest { TargetEpsilon = _training.DpEpsilon, Delta = _training.DpDelta, Rounds = _training.Rounds } : null,
        }).GetAwaiter().GetResult();
        FloatContributionResult[] results = Task.WhenAll(updates.Select(u =>
            _devices[u.Client].ContributeAsync(opened.RoundId, new ReadOnlyMemory<double>(u.Delta), Dp ? 1.0 : u.Weight))).GetAwaiter().GetResult();
        if (Dp)
        {
            _spent = _admin.GetPrivacyLedgerAsync(_federation).GetAwaiter().GetResult().SpentEpsilon;
        }
        string epsilon = Dp ? string.Create(CultureInfo.InvariantCulture, $", epsilon spent (ledger) {_spent:F3}") : "";
        _progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  [{Name}] round {round}: {results[0].Survivors.Count} survivors, {(_bytes.Total - bytesBefore) / 1024.0:F0} KiB on the wire, {wall.Elapsed.TotalSeconds:F2} s{epsilon}"));
        return new AggregationOutcome([.. results[0].Average], null);
    }

    public string? Summary() => Dp
        ? string.Create(CultureInfo.InvariantCulture, $"epsilon spent per the service's ledger: {_spent:F3} (delta {_training.DpDelta:G3}) of {_training.DpEpsilon * 1.01:F3}")
        : null;

    public void Dispose()
    {
        foreach (SecureFedClient d in _devices)
        {
            d.Dispose();
        }
        _http.Dispose();
        _admin.Dispose();
        if (_app is not null)
        {
            _app.StopAsync().GetAwaiter().GetResult();
            _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        Directory.Delete(_folder, recursive: true);
    }
}
