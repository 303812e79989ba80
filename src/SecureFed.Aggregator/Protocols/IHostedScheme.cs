using SecureFed.Transcripts;
using SecureFed.Primitives.Signatures;
using SecureFed.Privacy.Rounds;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Hosting;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Protocols;

/// <summary>
/// What the service needs of a scheme beyond the protocol contract: turning the operator's open-round request into a
/// round server, and writing a finished round's transcript in the scheme's format. Everything else (storage, replay,
/// deadlines, endpoints) is the same for every scheme.
/// </summary>
internal interface IHostedScheme
{
    /// <summary>The scheme.</summary>
    RoundScheme Scheme { get; }

    /// <summary>Starts servers from stored configurations.</summary>
    IRoundProtocol Protocol { get; }

    /// <summary>True when the scheme's transcript records each stage close (an empty StageClosed record).</summary>
    bool TranscriptRecordsCloses { get; }

    /// <summary>
    /// A fresh server for the request over the federation's roster, and the host's minimum of first-stage senders. A
    /// float or DP round's <paramref name="encoding"/> goes into the configuration (so the configuration hash covers it)
    /// and defines the round's input vectors.
    /// </summary>
    /// <exception cref="Http.AggregatorProblemException">400 invalid-configuration naming the request field.</exception>
    (IRoundServer Server, int MinimumClients) Open(OpenRoundRequest request, RosterEntry[] roster, RoundEncoding? encoding);

    /// <summary>The fewest contributions a completed round of this request can sum (what DP noise must be sized for).</summary>
    /// <exception cref="Http.AggregatorProblemException">400 invalid-configuration naming the request field.</exception>
    int FewestSurvivors(OpenRoundRequest request, int rosterSize);

    /// <summary>The narrowest value width the scheme sums (a DP plan that would choose fewer bits is widened to it).</summary>
    int MinimumBits { get; }

    /// <summary>Fills the scheme's own fields of a round's status (masking: graph, degree and seed; HE: the decryption check of <paramref name="end"/>).</summary>
    void Describe(IRoundServer server, RoundEnd? end, RoundStatus status);

    /// <summary>
    /// The seed of the round's neighbour graph as its status shows it (lower-case hex), or null when the scheme has none
    /// or the server does not know it. Only the live server knows it: the host stores it with the outcome so an ended
    /// round read back from the database shows it too.
    /// </summary>
    string? GraphSeed(IRoundServer server);

    /// <summary>Writes a finished round's signed transcript; <paramref name="dp"/> is a DP round's plan (its record, and the epsilon
    /// of the actual survivors as the claim: <see cref="FloatRounds.ClaimedEpsilon"/>).</summary>
    void WriteTranscript(Stream output, ReadOnlyMemory<byte> configuration, IReadOnlyList<RecordedMessage> messages, RoundEnd end, IdentityKeyPair key,
        DpRoundParameters? dp);
}
