using System.Buffers.Binary;
using SecureFed.Transcripts;
using SecureFed.Primitives.Signatures;

namespace SecureFed.Audit.Verification;

// The hash chain, the record order (header first, result, end last) and the aggregator's signature on every record.
internal static class IntegrityChecks
{
    public const string ChainId = "transcript.chain";
    public const string SignaturesId = "transcript.signatures";
    private const string ChainText = "every record carries the previous record's hash; header first, result, end record last with the record count";
    private const string SignaturesText = "every record is signed by the aggregator key in the header (and it is the expected key, when one is given)";

    // Returns the header when it could be decoded, whatever the checks say (later checks need it).
    public static TranscriptHeader? Run(IReadOnlyList<TranscriptRecord> records, byte[]? expectedAggregatorKey, List<AuditCheck> checks)
    {
        TranscriptHeader? header = records.Count > 0 && records[0].Kind == TranscriptRecordKind.Header
            ? TranscriptRoundView.TryDecode<TranscriptHeader>(records[0].Payload)
            : null;
        checks.Add(Chain(records, header?.Scheme == TranscriptHeader.HeScheme));
        checks.Add(Signatures(records, header, expectedAggregatorKey));
        return header;
    }

    private static AuditCheck Chain(IReadOnlyList<TranscriptRecord> records, bool he)
    {
        if (records.Count < 3)
        {
            return AuditCheck.Fail(ChainId, ChainText, $"only {records.Count} records: a transcript has at least a header, a result and an end record");
        }
        byte[] previous = new byte[TranscriptFormat.HashSize];
        for (int i = 0; i < records.Count; i++)
        {
            TranscriptRecordBody b = records[i].Body;
            if (b.Version != TranscriptFormat.Version)
            {
                return AuditCheck.Fail(ChainId, ChainText, $"record {i}: version {b.Version}, expected {TranscriptFormat.Version}");
            }
            if (b.Sequence != (ulong)i)
            {
                return AuditCheck.Fail(ChainId, ChainText, $"record {i} carries sequence number {b.Sequence}");
            }
            if (!b.PreviousHash.AsSpan().SequenceEqual(previous))
            {
                return AuditCheck.Fail(ChainId, ChainText, $"record {i}: previous-hash field does not match the hash of record {i - 1} (a record was changed, removed or inserted)");
            }
            bool headerHere = b.Kind == TranscriptRecordKind.Header, endHere = b.Kind == TranscriptRecordKind.End;
            if (headerHere != (i == 0) || endHere != (i == records.Count - 1) || (b.Kind == TranscriptRecordKind.Result) != (i == records.Count - 2))
            {
                return AuditCheck.Fail(ChainId, ChainText, $"record {i} is a {b.Kind} record out of place (expected header, messages, result, end)");
            }
            if (!Enum.IsDefined(b.Kind))
            {
                return AuditCheck.Fail(ChainId, ChainText, $"record {i}: unknown kind {(int)b.Kind}");
            }
            if (b.Kind == TranscriptRecordKind.StageClosed && !he)
            {
                return AuditCheck.Fail(ChainId, ChainText, $"record {i}: a StageClosed record belongs only in an HE transcript");
            }
            previous = records[i].Hash;
        }
        TranscriptRecord end = records[^1];
        if (end.Payload.Length != 8 || BinaryPrimitives.ReadUInt64BigEndian(end.Payload) != (ulong)(records.Count - 1))
        {
            return AuditCheck.Fail(ChainId, ChainText, "the end record does not state the number of records before it (truncated or extended transcript)");
        }
        return AuditCheck.Pass(ChainId, ChainText, $"{records.Count} records linked by SHA-256, last hash {Convert.ToHexStringLower(previous)[..16]}...");
    }

    private static AuditCheck Signatures(IReadOnlyList<TranscriptRecord> records, TranscriptHeader? header, byte[]? expected)
    {
        if (header is null)
        {
            return AuditCheck.Fail(SignaturesId, SignaturesText, "no decodable header record, so no aggregator key");
        }
        IdentityPublicKey key;
        try
        {
            key = IdentityPublicKey.Import(header.AggregatorKey ?? []);
        }
        catch (FormatException)
        {
            return AuditCheck.Fail(SignaturesId, SignaturesText, "the header's aggregator key is not a valid Ed25519 public key");
        }
        if (expected is not null && !key.Bytes.SequenceEqual(expected))
        {
            return AuditCheck.Fail(SignaturesId, SignaturesText, $"aggregator key {key} is not the expected {Convert.ToHexStringLower(expected)}");
        }
        for (int i = 0; i < records.Count; i++)
        {
            if (!key.Verify(TranscriptFormat.SigningInput(records[i].Hash), records[i].Signature))
            {
                return AuditCheck.Fail(SignaturesId, SignaturesText, $"record {i}: the aggregator's signature does not verify");
            }
        }
        string pinned = expected is null ? " (compare it with the key the operator published)" : " (the expected key)";
        return AuditCheck.Pass(SignaturesId, SignaturesText, $"{records.Count} signatures by aggregator key {key}{pinned}");
    }
}
