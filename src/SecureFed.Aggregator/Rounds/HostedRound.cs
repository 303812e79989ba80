using SecureFed.Protocol.Hosting;

namespace SecureFed.Aggregator.Rounds;

/// <summary>
/// What the front end checks a client request against before handing it to the round's host: facts fixed when the
/// round opened, so a cluster's front end caches them and asks the round's owner only for what changes.
/// </summary>
/// <param name="Id">The round id, lowercase hex.</param>
/// <param name="Federation">The federation whose roster the round runs over.</param>
/// <param name="Delivery">How clients poll for the server's messages.</param>
/// <param name="StageCount">Stages of the round (valid per-stage poll indices).</param>
/// <param name="MaxEnvelopeBytes">The transport's read limit for the round's envelopes.</param>
/// <param name="ClientIdsByKey">Roster client id per identity key (lowercase hex).</param>
internal sealed record HostedRound(string Id, string Federation, ServerDelivery Delivery, int StageCount, long MaxEnvelopeBytes,
    IReadOnlyDictionary<string, uint> ClientIdsByKey);
