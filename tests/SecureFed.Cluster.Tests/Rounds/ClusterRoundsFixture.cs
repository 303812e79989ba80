using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;
using SecureFed.Aggregator.Hosting;
using SecureFed.Client;
using SecureFed.Cluster.Hosting;
using SecureFed.Cluster.Rounds;
using SecureFed.Cluster.Tests.Support;
using SecureFed.Primitives.Signatures;

namespace SecureFed.Cluster.Tests.Rounds;

/// <summary>
/// Three silos hosting the round grains on a fresh PostgreSQL database, and three HTTP front ends (the aggregator's
/// endpoints over <c>ClusterRoundHost</c>, on in-memory test servers) reaching them through the cluster's client:
/// clients spread over the front ends, as over the silos of <c>serve --cluster</c>. A fourth front end opens masking
/// rounds with one shard (<see cref="UnshardedAdmin"/>); the others spread them over the silos (the default).
/// </summary>
public sealed class ClusterRoundsFixture : IAsyncLifetime
{
    public const int FrontEnds = 3;

    private readonly List<WebApplication> _frontEnds = [];
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "securefed-cluster-" + Guid.NewGuid().ToString("N")[..8]);

    public TestDatabase Database { get; private set; } = null!;

    public TestCluster Cluster { get; private set; } = null!;

    private TestServer[] _servers = [];

    /// <summary>A fresh HttpClient of front end <paramref name="frontEnd"/> (each client library sets its own base address).</summary>
    public HttpClient Http(int frontEnd) => _servers[frontEnd % FrontEnds].CreateClient();

    public string AdminKey => File.ReadAllText(Path.Combine(_folder, "admin.key")).Trim();

    public async Task InitializeAsync()
    {
        if (TestDatabase.ServerConnectionString is null)
        {
            return;
        }
        Directory.CreateDirectory(_folder);
        Database = await TestDatabase.CreateAsync();
        var builder = new TestClusterBuilder(3);
        builder.Options.UseTestClusterMembership = false;
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ClusterStorageNames.ConnectionStringName}"] = Database.ConnectionString,
        }));
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();

        var servers = new List<TestServer>();
        for (int i = 0; i <= FrontEnds; i++) // the last one opens unsharded rounds (UnshardedAdmin)
        {
            WebApplicationBuilder web = WebApplication.CreateBuilder();
            web.WebHost.UseTestServer();
            web.Logging.SetMinimumLevel(LogLevel.Warning);
            web.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Aggregator:DatabasePath"] = Path.Combine(_folder, $"front-{i}.db"),
                ["Aggregator:AdminKeyFile"] = Path.Combine(_folder, "admin.key"),
                ["Aggregator:LongPollSeconds"] = "3",
                ["Aggregator:TranscriptsEnabled"] = "true",
                ["Cluster:Shards"] = i == FrontEnds ? "1" : "0",
            });
            web.Services.AddSingleton(Cluster.Client);
            web.Services.AddSingleton<IGrainFactory>(Cluster.Client);
            web.Services.AddSingleton(ClusterConnectionString.From(Database.ConnectionString));
            web.Services.AddSecureFedClusterFrontEnd();
            web.Services.AddSecureFedAggregator(web.Configuration.GetSection(AggregatorOptions.Section));
            WebApplication app = web.Build();
            app.MapSecureFed();
            await app.StartAsync();
            _frontEnds.Add(app);
            servers.Add(app.GetTestServer());
        }
        _servers = [.. servers];
    }

    public SecureFedAdminClient Admin(int frontEnd = 0) => new(new Uri("http://localhost/"), AdminKey, Http(frontEnd), allowInsecureHttp: true);

    /// <summary>An administrator on the extra front end configured with <c>Cluster:Shards = 1</c>: the masking rounds it
    /// opens stay in their round grain (the unsharded path), whatever the number of silos.</summary>
    public SecureFedAdminClient UnshardedAdmin() =>
        new(new Uri("http://localhost/"), AdminKey, _servers[FrontEnds].CreateClient(), allowInsecureHttp: true);

    /// <summary>How many shard grains round <paramref name="roundId"/> has.</summary>
    public async Task<int> ShardCountAsync(string roundId) => (await Cluster.Client.GetGrain<IRoundGrain>(roundId).Facts()).ShardCount;

    public static SecureFedClientOptions ClientOptions() => new()
    {
        ServerUrl = new Uri("http://localhost/"),
        AllowInsecureHttp = true,
        RequestTimeout = TimeSpan.FromSeconds(30),
        MaxAttempts = 40,
    };

    public async Task DisposeAsync()
    {
        foreach (WebApplication app in _frontEnds)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        if (Cluster is not null)
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>A test key store: a fixed Ed25519 seed per simulated device.</summary>
    public sealed class SeedKeys(string label, int index) : IIdentityKeyStore
    {
        private readonly byte[] _seed = SHA256.HashData(Encoding.UTF8.GetBytes($"{label}/{index}"));

        public IdentityKeyPair LoadIdentity() => IdentityKeyPair.FromSeed(_seed);

        public IdentityPublicKey PublicKey()
        {
            using IdentityKeyPair k = LoadIdentity();
            return IdentityPublicKey.Import(k.PublicKey.Bytes);
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.UseSecureFedPostgres();
            siloBuilder.AddSecureFedRounds();
            // A killed silo is declared dead in seconds rather than Orleans' default half minute.
            siloBuilder.Configure<ClusterMembershipOptions>(options =>
            {
                options.ProbeTimeout = TimeSpan.FromSeconds(1);
                options.NumMissedProbesLimit = 2;
            });
            siloBuilder.Configure<SiloMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(10));
            siloBuilder.Services.Configure<AggregatorOptions>(o => o.RestartGraceSeconds = 2);
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
        {
            clientBuilder.UseSecureFedPostgresGateways(ClusterConnectionString.TryRead(configuration)!);
            clientBuilder.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(10));
        }
    }
}
