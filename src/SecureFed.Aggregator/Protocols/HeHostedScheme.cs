using SecureFed.Transcripts;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
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

    public int FewestSurvivors(OpenRoundRequest request, int rosterSize) => request.He?.MinimumClients ?? request.MinimumClients ?? 1;

    public (IRoundServer Server, int MinimumClients) Open(OpenRoundRequest request, RosterEntry[] roster, RoundEncoding? encoding)
    {
        HeRoundParameters parameters = HeRoundConfigurationBuilder.Build(request, roster, encoding);
        return (new HeRoundServer(parameters), parameters.Configuration.MinimumClients);
    }

    // HE rounds have no neighbour graph (the graph fields stay null); a completed one names its decryption check.
    public void Describe(IRoundServer server, RoundEnd? end, RoundStatus status)
    {
        if (Published(end) is { } result)
        {
            status.DecryptionCheck = CheckName(result.Check);
            status.ExcludedDecryptors = [.. result.ExcludedDecryptors ?? []];
        }
    }

    public string? GraphSeed(IRoundServer server) => null;

    public void WriteTranscript(Stream output, ReadOnlyMemory<byte> configuration, IReadOnlyList<RecordedMessage> messages, RoundEnd end, IdentityKeyPair key,
        DpRoundParameters? dp)
    {
        HeRoundConfiguration decoded = MessageCodec.Decode<HeRoundConfiguration>(configuration, int.MaxValue);
        HeRoundResult? published = Published(end);
        HeTranscriptResult result = end.Result is { } r
            ? new HeTranscriptResult
            {
                Completed = true, Sum = HeTranscriptResult.EncodeSum(r.Sums[0]), Contributors = [.. r.Survivors], Attempts = r.Attempts ?? 1,
                Check = (int)(published?.Check ?? HeDecryptionCheck.Unverified), ExcludedDecryptors = [.. published?.ExcludedDecryptors ?? []],
                ClaimedEpsilon = FloatRounds.ClaimedEpsilon(dp, r.Survivors.Count),
            }
            : new HeTranscriptResult { Completed = false, AbortReason = end.Abort!.Reason, AbortDetail = end.Abort.Detail };
        TranscriptWriter.Write(output, decoded, messages, result, key, dp: dp is null ? null : DpRoundRecord.From(dp.Plan));
    }

    /// <summary>The wire name of a decryption check in the round status (transport.md).</summary>
    internal static string CheckName(HeDecryptionCheck check) => check switch
    {
        HeDecryptionCheck.SecondSubset => "second-subset",
        HeDecryptionCheck.Elimination => "elimination",
        HeDecryptionCheck.OverlappingSubset => "overlapping-subset",
        _ => "unverified",
    };

    // The HeRoundResult a completed round broadcast (its final message), which carries the check and the exclusions.
    private static HeRoundResult? Published(RoundEnd? end) =>
        end?.Result is not null && end.FinalMessage is { } bytes ? MessageCodec.Decode<HeServerMessage>(bytes, int.MaxValue) as HeRoundResult : null;
}
