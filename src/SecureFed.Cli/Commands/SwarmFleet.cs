using System.Diagnostics;
using SecureFed.Client;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Cli.Commands;

/// <summary>
/// The plumbing every swarm run shares: one pooled connection handler behind the devices' HttpClient and the admin
/// client, and the generated device identities (wiped on dispose).
/// </summary>
internal sealed class SwarmFleet : IDisposable
{
    private readonly SocketsHttpHandler _handler;
    private readonly SwarmIdentityStore[] _identities;

    private readonly HttpMessageHandler _devices;

    public SwarmFleet(IReadOnlyList<Uri> frontEnds, string adminKey, int clients)
    {
        _handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        _devices = frontEnds.Count > 1 ? new SwarmFrontEnds(frontEnds) { InnerHandler = _handler } : _handler;
        Http = new HttpClient(_devices, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        Admin = new SecureFedAdminClient(frontEnds[0], adminKey, new HttpClient(_devices, disposeHandler: false));
        _identities = [.. Enumerable.Range(0, clients).Select(_ => new SwarmIdentityStore(SystemRandomSource.Instance))];
    }

    /// <summary>The pooled handler behind every device (a device may wrap it in a handler of its own).</summary>
    public HttpMessageHandler Handler => _devices;

    /// <summary>The devices' shared client (no timeout of its own: each request has one).</summary>
    public HttpClient Http { get; }

    public SecureFedAdminClient Admin { get; }

    public IReadOnlyList<SwarmIdentityStore> Identities => _identities;

    /// <summary>Enrols every identity in a fresh randomly named federation; returns it, the assigned ids and the time taken.</summary>
    public async Task<(string Federation, IReadOnlyList<uint> Ids, double Seconds)> EnrolAsync(string prefix = "swarm")
    {
        string federation = prefix + "-" + Convert.ToHexStringLower(BitConverter.GetBytes(SystemRandomSource.Instance.NextUInt64()))[..8];
        var enrolClock = Stopwatch.StartNew();
        IReadOnlyList<uint> ids = await Admin.EnrolKeysAsync(federation, _identities.Select(i => i.PublicKey)).ConfigureAwait(false);
        return (federation, ids, enrolClock.Elapsed.TotalSeconds);
    }

    public void Dispose()
    {
        foreach (SwarmIdentityStore i in _identities)
        {
            i.Dispose();
        }
        Admin.Dispose();
        Http.Dispose();
        if (_devices != _handler)
        {
            _devices.Dispose();
        }
        _handler.Dispose();
    }
}
