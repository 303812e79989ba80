using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;
using Orleans.TestingHost;
using SecureFed.Cluster.Hosting;

namespace SecureFed.Cluster.Tests.Support;

/// <summary>
/// Three in-process silos (Orleans TestCluster) whose membership, grain storage and reminders are on a fresh
/// PostgreSQL database migrated by the silos themselves at start. Without PostgreSQL it stays empty and the tests
/// that use it are skipped.
/// </summary>
public sealed class PostgresClusterFixture : IAsyncLifetime
{
    public const short SiloCount = 3;

    public TestDatabase Database { get; private set; } = null!;

    public TestCluster Cluster { get; private set; } = null!;

    /// <summary>Wall time of DeployAsync (silos started, schema migrated, membership settled, client connected).</summary>
    public TimeSpan DeployTime { get; private set; }

    /// <summary>Every log line the silos wrote, formatted.</summary>
    public static ConcurrentQueue<string> SiloLog { get; } = new();

    public async Task InitializeAsync()
    {
        if (TestDatabase.ServerConnectionString is null)
        {
            return;
        }

        Database = await TestDatabase.CreateAsync();
        var builder = new TestClusterBuilder(SiloCount);
        builder.Options.UseTestClusterMembership = false;
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ClusterStorageNames.ConnectionStringName}"] = Database.ConnectionString,
        }));
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        var clock = Stopwatch.StartNew();
        await Cluster.DeployAsync();
        DeployTime = clock.Elapsed;
        Console.WriteLine($"TestCluster with {SiloCount} silos on PostgreSQL deployed in {DeployTime.TotalSeconds:F2} s");
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.UseSecureFedPostgres();
            // Detect a killed silo in seconds rather than Orleans' production default (about half a minute).
            siloBuilder.Configure<ClusterMembershipOptions>(options =>
            {
                options.ProbeTimeout = TimeSpan.FromSeconds(1);
                options.NumMissedProbesLimit = 2;
            });
            siloBuilder.Configure<SiloMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(5));
            siloBuilder.Services.AddSingleton<ILoggerProvider, CapturingLoggerProvider>();
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
        {
            clientBuilder.UseSecureFedPostgresGateways(ClusterConnectionString.TryRead(configuration)!);
            clientBuilder.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(5));
        }
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            SiloLog.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
