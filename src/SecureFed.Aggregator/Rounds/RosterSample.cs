using System.Globalization;
using SecureFed.Aggregator.Http;
using SecureFed.Protocol.Configuration;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Rounds;

/// <summary>The roster a round opens over: the clients the request names, or every active member when it names none.</summary>
internal static class RosterSample
{
    /// <exception cref="AggregatorProblemException">400 invalid-configuration when a named client is not an active member or is named twice.</exception>
    public static RosterEntry[] Of(RosterEntry[] active, OpenRoundRequest request)
    {
        if (request.Clients is not { } ids)
        {
            return active;
        }
        var wanted = new HashSet<uint>();
        var enrolled = active.Select(e => e.ClientId).ToHashSet();
        foreach (uint id in ids)
        {
            if (!enrolled.Contains(id) || !wanted.Add(id))
            {
                throw AggregatorProblemException.InvalidConfiguration(new ConfigurationError(nameof(OpenRoundRequest.Clients),
                    $"distinct enrolled, unrevoked client ids of federation '{request.Federation}'", id.ToString(CultureInfo.InvariantCulture)));
            }
        }
        return [.. active.Where(e => wanted.Contains(e.ClientId))];
    }
}
