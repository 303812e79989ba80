using Microsoft.Extensions.DependencyInjection;
using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Client;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Aggregator.Tests;

/// <summary>The client library's key file, options and argument checks.</summary>
public sealed class ClientLibraryTests
{
    [Fact]
    public void A_created_key_file_loads_the_same_key_and_is_private_to_its_owner()
    {
        using var folder = new TempFolder();
        string path = folder.File("device.key");
        FileIdentityKeyStore store = FileIdentityKeyStore.CreateNew(path, SystemRandomSource.Instance);
        using var a = store.LoadIdentity();
        using var b = new FileIdentityKeyStore(path).LoadIdentity();
        Assert.Equal(a.PublicKey, b.PublicKey);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        Assert.Throws<IOException>(() => FileIdentityKeyStore.CreateNew(path, SystemRandomSource.Instance));
        Assert.DoesNotContain(File.ReadAllText(path).Trim(), store.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("zz000000000000000000000000000000000000000000000000000000000000zz")]
    public void A_malformed_key_file_is_refused_with_a_clear_error(string content)
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("bad.key"), content);
        var e = Assert.Throws<InvalidDataException>(() => new FileIdentityKeyStore(folder.File("bad.key")).LoadIdentity());
        Assert.Contains("64 hex digits", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_refuse_plain_http_beyond_loopback_unless_allowed_and_name_the_setting()
    {
        var options = new SecureFedClientOptions { ServerUrl = new Uri("http://aggregator.example/") };
        Assert.Equal("ServerUrl", Assert.Throws<ArgumentException>(options.Validate).ParamName);
        options.AllowInsecureHttp = true;
        options.Validate();
        options.MaxAttempts = 0;
        Assert.Equal("MaxAttempts", Assert.Throws<ArgumentException>(options.Validate).ParamName);
        new SecureFedClientOptions { ServerUrl = new Uri("http://127.0.0.1:1/") }.Validate();
        new SecureFedClientOptions { ServerUrl = new Uri("https://aggregator.example/") }.Validate();
    }

    [Fact]
    public void AddSecureFedClient_registers_a_singleton_client_with_the_apps_key_store()
    {
        var store = SeedKeyStore.For("di", 0);
        var services = new ServiceCollection();
        services.AddSecureFedClient(o => o.ServerUrl = new Uri("https://aggregator.example/"), _ => store);
        using ServiceProvider provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<SecureFedClient>();
        Assert.Same(client, provider.GetRequiredService<SecureFedClient>());
        Assert.Equal(store.PublicKey(), client.PublicKey);
    }

    [Fact]
    public async Task Contribute_refuses_a_malformed_round_id_before_any_request()
    {
        using var client = new SecureFedClient(new SecureFedClientOptions { ServerUrl = new Uri("http://127.0.0.1:9/"), MaxAttempts = 1 }, SeedKeyStore.For("arg", 0));
        await Assert.ThrowsAsync<ArgumentException>(() => client.ContributeAsync("not-a-round", new ulong[1]));
    }

    [Fact]
    public async Task An_unreachable_server_ends_in_a_typed_exception_after_the_retries()
    {
        int port = ServiceProcess.FreePort(); // nothing listens there
        var options = new SecureFedClientOptions
        {
            ServerUrl = new Uri($"http://127.0.0.1:{port}/"),
            MaxAttempts = 3,
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            MaxRetryDelay = TimeSpan.FromMilliseconds(5),
        };
        using var client = new SecureFedClient(options, SeedKeyStore.For("down", 0));
        var e = await Assert.ThrowsAsync<ServerUnreachableException>(() => client.GetRoundAsync(new string('0', 32)));
        Assert.Contains("3 times", e.Message, StringComparison.Ordinal);
    }
}
