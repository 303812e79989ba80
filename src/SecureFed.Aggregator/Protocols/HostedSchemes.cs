using SecureFed.Aggregator.Http;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Hosting;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Protocols;

/// <summary>The schemes the service runs, by <see cref="RoundScheme"/> (registered once at start-up).</summary>
internal sealed class HostedSchemes(IEnumerable<IHostedScheme> schemes)
{
    private readonly Dictionary<RoundScheme, IHostedScheme> _byScheme = schemes.ToDictionary(s => s.Scheme);

    /// <exception cref="InvalidOperationException">The scheme is not registered (a stored round of an unknown scheme).</exception>
    public IHostedScheme this[RoundScheme scheme] =>
        _byScheme.TryGetValue(scheme, out IHostedScheme? s) ? s : throw new InvalidOperationException($"no hosted scheme {scheme}");

    /// <summary>The scheme a request names (missing: masking).</summary>
    /// <exception cref="AggregatorProblemException">400 invalid-configuration for an unknown name.</exception>
    public IHostedScheme Named(string? name) =>
        WireNames.TryParseScheme(name, out RoundScheme scheme) && _byScheme.TryGetValue(scheme, out IHostedScheme? s)
            ? s
            : throw AggregatorProblemException.InvalidConfiguration(new ConfigurationError(nameof(OpenRoundRequest.Scheme),
                $"one of {string.Join(", ", _byScheme.Keys.Select(k => $"\"{WireNames.Of(k)}\""))}", $"\"{name}\""));
}
