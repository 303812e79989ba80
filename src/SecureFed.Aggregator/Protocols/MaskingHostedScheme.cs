using System.Globalization;
using System.Security.Cryptography;
using SecureFed.Aggregator.Http;
using SecureFed.Transcripts;
using SecureFed.Primitives.Signatures;
using SecureFed.Privacy.Rounds;
using SecureFed.Primitives.Vectors;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Planning;
using SecureFed.Protocol.Server;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Protocols;

/// <summary>
/// Masking rounds (secagg.md) in the service over the federation's roster, with the neighbour graph the SecAgg+ finder
/// picks for the roster size and the request's assumptions (or the complete graph when asked; secagg.md 6.2).
/// </summary>
internal sealed class MaskingHostedScheme : IHostedScheme
{
    public RoundScheme Scheme => RoundScheme.Masking;

    public IRoundProtocol Protocol { get; } = new SecAggRoundProtocol();

    public bool TranscriptRecordsCloses => false;

    public int MinimumBits => 1;

    public int FewestSurvivors(OpenRoundRequest request, int rosterSize) => request.Threshold ?? RoundGraphRequest.Select(request.Graph, rosterSize).Threshold;

    public (IRoundServer Server, int MinimumClients) Open(OpenRoundRequest request, RosterEntry[] roster, RoundEncoding? encoding)
    {
        RoundGraph graph = RoundGraphRequest.Select(request.Graph, roster.Length);
        int threshold = request.Threshold ?? graph.Threshold;
        int minimumClients = request.MinimumClients ?? threshold;
        if (minimumClients < threshold || minimumClients > roster.Length)
        {
            throw AggregatorProblemException.InvalidConfiguration(
                new ConfigurationError(OpenRoundRequest.MinimumClientsField, $"in [threshold {threshold}, roster {roster.Length}]", minimumClients.ToString(CultureInfo.InvariantCulture)));
        }
        var configuration = new RoundConfiguration
        {
            RoundId = RandomNumberGenerator.GetBytes(RoundIds.Size),
            Vectors = encoding?.Vectors ?? [.. (request.Vectors ?? []).Select(v => new VectorSpec { Length = v?.Length ?? 0, Bits = v?.Bits ?? 0 })],
            Roster = roster,
            FloatEncoding = encoding?.PlainConfiguration,
            Dp = encoding?.DpConfiguration,
        };
        graph.ApplyTo(configuration);
        configuration.Threshold = threshold;
        try
        {
            return (new SecAggRoundServer(RoundParameters.Create(configuration), minimumClients), minimumClients);
        }
        catch (InvalidRoundConfigurationException e)
        {
            throw AggregatorProblemException.InvalidConfiguration(e.Error);
        }
    }

    public void Describe(IRoundServer server, RoundEnd? end, RoundStatus status)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(status);
        if (server is not SecAggRoundServer round)
        {
            // A cluster's sharded round (its root behind IRoundServer): the graph as configured; the seed is not shown.
            RoundConfiguration configuration = MessageCodec.Decode<RoundConfiguration>(server.Configuration, int.MaxValue);
            status.Graph = WireNames.Of(configuration.Graph);
            status.GraphDegree = configuration.Graph == GraphKind.Harary ? configuration.GraphDegree : server.Identities.Count - 1;
            return;
        }
        status.Graph = WireNames.Of(round.Graph);
        status.GraphDegree = round.GraphDegree;
        status.GraphSeed = GraphSeed(round);
    }

    // A cluster's sharded round (its root behind IRoundServer) does not show its seed.
    public string? GraphSeed(IRoundServer server) => server is SecAggRoundServer { GraphSeed: { } seed } ? Convert.ToHexStringLower(seed) : null;

    public void WriteTranscript(Stream output, ReadOnlyMemory<byte> configuration, IReadOnlyList<RecordedMessage> messages, RoundEnd end, IdentityKeyPair key,
        DpRoundParameters? dp)
    {
        RoundConfiguration decoded = MessageCodec.Decode<RoundConfiguration>(configuration, int.MaxValue);
        TranscriptResult result = end.Result is { } r
            ? new TranscriptResult
            {
                Completed = true,
                Sums = [.. r.Sums.Select((sum, j) => ModularArithmetic.Encode(sum, decoded.Vectors[j].Bits))],
                Survivors = [.. r.Survivors],
                Dropped = [.. r.Dropped],
                ClaimedEpsilon = FloatRounds.ClaimedEpsilon(dp, r.Survivors.Count),
            }
            : new TranscriptResult { Completed = false, AbortReason = end.Abort!.Reason, AbortDetail = end.Abort.Detail };
        TranscriptWriter.Write(output, decoded, messages, result, dp is null ? null : DpRoundRecord.From(dp.Plan), key);
    }
}
