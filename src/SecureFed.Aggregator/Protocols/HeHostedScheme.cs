using SecureFed.Transcripts;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Server;
using SecureFed.Primitives.Signatures;
using SecureFed.Privacy.Rounds;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Protocols;

/// <summary>HE rounds (he.md 10) in the service: the request's HE settings over the federation's roster.</summary>
internal sealed class HeHostedScheme : IHostedScheme
{
    public RoundScheme Scheme => RoundScheme.He;

    public IRoundProtocol Protocol { get; } = new HeRoundProtocol();

    public bool TranscriptRecordsCloses => true;

    public int MinimumBits => Lattice.Bfv.BfvParameters.MinPlaintextBits;

    public int FewestSurvivors(OpenRoundRequest request, int rosterSize) => request.He?.MinimumClients ?? request.MinClients ?? 1;

    public (IRoundServer Server, int MinimumClients) Open(OpenRoundRequest request, RosterEntry[] roster, RoundEncoding? encoding)
    {
        HeRoundParameters parameters = HeRoundConfigurationBuilder.Build(request, roster, encoding);
        return (new HeRoundServer(parameters), parameters.Configuration.MinimumClients);
    }

    // HE rounds have no neighbour graph: the status's graph fields stay null.
    public void Describe(IRoundServer server, RoundStatus status)
    {
    }

    public void WriteTranscript(Stream output, ReadOnlyMemory<byte> configuration, IReadOnlyList<RecordedMessage> messages, RoundEnd end, IdentityKeyPair key,
        DpRoundParameters? dp)
    {
        HeRoundConfiguration decoded = MessageCodec.Decode<HeRoundConfiguration>(configuration, int.MaxValue);
        HeTranscriptResult result = end.Result is { } r
            ? new HeTranscriptResult
            {
                Completed = true, Sum = HeTranscriptResult.EncodeSum(r.Sums[0]), Contributors = [.. r.Survivors], Attempts = r.Attempts ?? 1,
                ClaimedEpsilon = FloatRounds.ClaimedEpsilon(dp, r.Survivors.Count),
            }
            : new HeTranscriptResult { Completed = false, AbortReason = end.Abort!.Reason, AbortDetail = end.Abort.Detail };
        HeTranscriptWriter.Write(output, decoded, messages, result, key, dp: dp is null ? null : DpRoundRecord.From(dp.Plan));
    }
}
