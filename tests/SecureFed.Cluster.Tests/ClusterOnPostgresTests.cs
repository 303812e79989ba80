using Npgsql;
using Orleans.TestingHost;
using SecureFed.Cluster.Tests.Grains;
using SecureFed.Cluster.Tests.Support;
using Xunit.Abstractions;

namespace SecureFed.Cluster.Tests;

/// <summary>Orleans membership, grain storage and reminders of a three-silo TestCluster on the migrated schema.</summary>
public sealed class ClusterOnPostgresTests(PostgresClusterFixture fixture, ITestOutputHelper output) : IClassFixture<PostgresClusterFixture>
{
    private TestCluster Cluster => fixture.Cluster;

    private string ServiceId => Cluster.Options.ServiceId;

    [PostgresFact]
    public async Task Every_silo_is_an_active_row_in_the_membership_table()
    {
        output.WriteLine($"TestCluster ({PostgresClusterFixture.SiloCount} silos) deployed in {fixture.DeployTime.TotalSeconds:F2} s");
        var rows = await fixture.Database.RowsAsync(
            "SELECT Port, Status FROM OrleansMembershipTable WHERE DeploymentId = @d AND Status = 3", ("d", Cluster.Options.ClusterId));

        Assert.Equal(
            Cluster.GetActiveSilos().Select(s => s.SiloAddress.Endpoint.Port).Order(),
            rows.Select(r => (int)r[0]).Order());
        Assert.True(Cluster.GetActiveSilos().Count() >= PostgresClusterFixture.SiloCount);
    }

    [PostgresFact]
    public async Task Grain_state_is_stored_in_PostgreSQL_and_survives_deactivation()
    {
        string key = $"counter-{Guid.NewGuid():N}";
        ICounterGrain grain = Cluster.Client.GetGrain<ICounterGrain>(key);
        await grain.AddAsync(5);
        await grain.AddAsync(7);

        await Cluster.DeactivateAsync(grain);
        await Cluster.WaitForDeactivationAsync(grain);

        Assert.Equal(12, await grain.GetAsync());
        var rows = await StorageRowsAsync(key);
        Assert.Equal(2, Assert.Single(rows).Version);
        Assert.True(Assert.Single(rows).HasPayload);
    }

    [PostgresFact]
    public async Task Grain_state_follows_the_grain_to_another_silo_when_its_silo_stops()
    {
        string key = $"moving-{Guid.NewGuid():N}";
        ICounterGrain grain = Cluster.Client.GetGrain<ICounterGrain>(key);
        await grain.AddAsync(3);
        SiloAddress first = await grain.SiloAsync();
        SiloHandle host = Cluster.GetSiloForAddress(first)!;

        await Cluster.StopSiloAsync(host);
        try
        {
            Assert.Equal(10, await grain.AddAsync(7));
            Assert.NotEqual(first, await grain.SiloAsync());
            Assert.Equal(2, Assert.Single(await StorageRowsAsync(key)).Version);
        }
        finally
        {
            await Cluster.StartAdditionalSiloAsync();
        }
    }

    [PostgresFact]
    public async Task A_killed_silo_is_declared_dead_in_PostgreSQL_and_its_grain_state_lives_on()
    {
        // No silo is special under PostgreSQL membership: whichever hosts the grain is killed (the client's
        // gateway included, if it is that one: the client then reconnects through another).
        ICounterGrain grain = Cluster.Client.GetGrain<ICounterGrain>($"killed-{Guid.NewGuid():N}");
        SiloAddress victim = await grain.SiloAsync();
        await grain.AddAsync(4);

        await Cluster.KillSiloAsync(Cluster.GetSiloForAddress(victim)!);
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            int? value = null;
            while (value is null && clock.Elapsed < TimeSpan.FromSeconds(90))
            {
                try
                {
                    value = await grain.AddAsync(1);
                }
                catch (Exception e) when (e is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException)
                {
                    await Task.Delay(500);
                }
            }

            output.WriteLine($"grain answered from another silo {clock.Elapsed.TotalSeconds:F1} s after the kill");
            Assert.Equal(5, value);
            Assert.NotEqual(victim, await grain.SiloAsync());
            Assert.Equal(6, await fixture.Database.ScalarAsync<int>(
                "SELECT Status FROM OrleansMembershipTable WHERE DeploymentId = @d AND Port = @p AND Generation = @g",
                ("d", Cluster.Options.ClusterId), ("p", victim.Endpoint.Port), ("g", victim.Generation)));
        }
        finally
        {
            await Cluster.StartAdditionalSiloAsync();
        }
    }

    [PostgresFact]
    public async Task A_reminder_is_stored_fires_and_unregisters()
    {
        string key = $"deadline-{Guid.NewGuid():N}";
        IDeadlineGrain grain = Cluster.Client.GetGrain<IDeadlineGrain>(key);

        await grain.ArmAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(1L, await ReminderRowsAsync(key));

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await grain.FiredAsync() == 0 && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(200);
        }

        output.WriteLine($"reminder fired after {waited.Elapsed.TotalSeconds:F1} s (due 1 s)");
        Assert.Equal(1, await grain.FiredAsync());
        await grain.DisarmAsync();
        Assert.Equal(0L, await ReminderRowsAsync(key));
    }

    [PostgresFact]
    public void Silo_logs_show_the_migration_but_never_the_password()
    {
        string password = new NpgsqlConnectionStringBuilder(fixture.Database.ConnectionString).Password!;
        string[] lines = [.. PostgresClusterFixture.SiloLog];

        Assert.Contains(lines, l => l.Contains("Cluster schema at version", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(password, StringComparison.Ordinal));
    }

    private async Task<List<(int Version, bool HasPayload)>> StorageRowsAsync(string key)
    {
        var rows = await fixture.Database.RowsAsync(
            "SELECT Version, PayloadBinary IS NOT NULL FROM OrleansStorage WHERE ServiceId = @s AND GrainIdExtensionString LIKE @k",
            ("s", ServiceId), ("k", $"%{key}"));
        return [.. rows.Select(r => ((int)r[0], (bool)r[1]))];
    }

    private Task<long> ReminderRowsAsync(string key) => fixture.Database.ScalarAsync<long>(
        "SELECT count(*) FROM OrleansRemindersTable WHERE ServiceId = @s AND ReminderName = @n AND GrainId LIKE @k",
        ("s", ServiceId), ("n", DeadlineGrain.ReminderName), ("k", $"%{key}%"));
}
