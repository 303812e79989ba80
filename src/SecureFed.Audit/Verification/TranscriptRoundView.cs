using System.Diagnostics.CodeAnalysis;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Updates;
using SecureFed.Transcripts;

namespace SecureFed.Audit.Verification;

// What every scheme's decoded round offers the checks and report sections that are the same for every scheme (the DP
// record check, summary, bytes, timeline, privacy): one shape per concept; RoundView (masking) and HeRoundView (HE) add
// their scheme's own decoded messages and sets.
internal abstract class TranscriptRoundView(IReadOnlyList<TranscriptRecord> records, TranscriptHeader header)
{
    public IReadOnlyList<TranscriptRecord> Records { get; } = records;

    public TranscriptHeader Header { get; } = header;

    // Enrolled client ids, ascending.
    public abstract IReadOnlyList<uint> ClientIds { get; }

    // The float encoding or DP plan the configuration carries (covered by its hash), or null.
    public abstract FloatRoundEncoding? Encoding { get; }

    // The vectors the scheme sums, and whether each word holds one value (HE lanes pack several).
    public abstract IReadOnlyList<VectorSpec> SummedVectors { get; }

    public abstract bool OneValuePerWord { get; }

    // The published result as every scheme has it; null when unreadable.
    public abstract RoundOutcome? Outcome { get; }

    // Who the summed inputs came from: "survivors" (masking) or "contributors" (HE).
    public abstract string SummedNoun { get; }

    // Report: summary rows before the shared tail (aggregator key, time written, outcome), and the wording of parties.
    public abstract IReadOnlyList<(string Name, string Html)> SummaryRows { get; }

    public abstract string OutcomeText { get; }

    public abstract string PartiesNoun { get; }

    // Bytes on the wire: what each party sent (by party id) and what the server sent to each, over every record of the
    // kind (decodable or not), the same for both schemes.
    public long BytesSentBy(uint party) => BytesOf(TranscriptRecordKind.ClientToServer, party);

    public long BytesSentTo(uint party) => BytesOf(TranscriptRecordKind.ServerToClient, party);

    private long BytesOf(TranscriptRecordKind kind, uint party) => Records.Where(r => r.Kind == kind && r.Body.Party == party).Sum(r => (long)r.Payload.Length);

    // Report: the round's timeline and who took part, each rendered once for every scheme (ReportSections).
    public abstract Reporting.RoundTimeline Timeline();

    public abstract Reporting.ParticipationTable Participation();

    // Report: whether the server's view is drawn as histograms (masked inputs; HE has only ciphertexts) and whether a
    // round without DP still gets a privacy section (masking says "no DP"; an HE report has the section only with DP).
    public abstract bool ReportsServerView { get; }

    public abstract bool ReportsPrivacyWithoutDp { get; }

    // The transcript's bytes are untrusted: a record or body that does not decode is null, for the checks to report.
    public static T? TryDecode<T>(ReadOnlyMemory<byte> bytes) where T : class
    {
        try
        {
            return MessageCodec.Decode<T>(bytes, bytes.Length);
        }
        catch (MalformedMessageException)
        {
            return null;
        }
    }

    // False (with the reason) when the header is missing or not this verifier's version and <paramref name="scheme"/>.
    protected static bool TryReadHeader([NotNullWhen(true)] TranscriptHeader? header, string scheme, string expected, out string problem)
    {
        problem = header is null ? "the header record is missing or malformed"
            : header.Version != TranscriptFormat.Version || header.Scheme != scheme
                ? $"unsupported header: version {header.Version}, scheme '{header.Scheme}' ({expected})"
                : "";
        return problem.Length == 0;
    }
}

// The result record of either scheme, as the shared checks read it.
internal sealed record RoundOutcome(bool Completed, IReadOnlyList<uint> Summed, double ClaimedEpsilon);
