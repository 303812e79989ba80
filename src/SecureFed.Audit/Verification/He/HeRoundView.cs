using SecureFed.Transcripts;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;

namespace SecureFed.Audit.Verification.He;

// An HE round as decoded from a transcript: the validated configuration, every client envelope (with its validity),
// every server message and stage close, and the published result. Sets are computed from valid client envelopes.
internal sealed partial class HeRoundView : TranscriptRoundView
{
    private HeRoundView(IReadOnlyList<TranscriptRecord> records, TranscriptHeader header, HeRoundParameters parameters)
        : base(records, header)
    {
        Parameters = parameters;
    }

    public HeRoundParameters Parameters { get; }

    public override IReadOnlyList<uint> ClientIds => Parameters.ClientIds;

    public override Protocol.Updates.FloatRoundEncoding? Encoding => Parameters.Encoding;

    public override IReadOnlyList<VectorSpec> SummedVectors =>
        [new VectorSpec { Length = Parameters.Configuration.VectorLength, Bits = Parameters.Configuration.Bits }];

    public override bool OneValuePerWord => Parameters.Plan.Options.Lanes == 1;

    public override RoundOutcome? Outcome => Result is { } r ? new RoundOutcome(r.Completed, r.Contributors ?? [], r.ClaimedEpsilon) : null;

    public override string SummedNoun => "contributors";

    public override string PartiesNoun => "Parties";

    public override string OutcomeText => Result is not { } r ? "no readable result" : r.Completed
        ? $"completed: the sum of {r.Contributors.Length} clients' uploads, decrypted after {r.Attempts} attempt(s)"
        : $"aborted (reason {r.AbortReason}: {r.AbortDetail})";

    public override IReadOnlyList<(string Name, string Html)> SummaryRows
    {
        get
        {
            var c = Parameters.Configuration;
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            return
            [
                ("scheme", "threshold homomorphic encryption (protocol-spec/he.md 10)"),
                ("round id", $"<code>{Convert.ToHexStringLower(c.RoundId)}</code>"),
                ("enrolled clients", string.Create(inv, $"{Parameters.ClientIds.Count} (at least {c.MinimumClients} uploads needed)")),
                ("decryptors", string.Create(inv, $"{System.Net.WebUtility.HtmlEncode(string.Join(", ", c.Decryptors))}; threshold t = {c.Threshold}; at most {c.MaxDecryptionAttempts} decryption attempt(s)")),
                ("vector", string.Create(inv, $"{c.VectorLength} values mod 2^{c.Bits}")),
                ("ring", string.Create(inv, $"N = {Parameters.Plan.Parameters.Degree}; upload {Parameters.UploadSize:N0} bytes")),
                ("configuration hash H", $"<code>{Convert.ToHexStringLower(Parameters.ConfigurationHash.Span)}</code>"),
            ];
        }
    }

    public List<HeClientRecord> ClientMessages { get; } = [];

    public List<HeServerRecord> ServerMessages { get; } = [];

    // Indices (into Records) of the StageClosed records.
    public List<int> Closes { get; } = [];

    // Records whose kind does not belong in an HE transcript's message part, or a malformed StageClosed record.
    public List<string> StrayRecords { get; } = [];

    public HeTranscriptResult? Result { get; private set; }

    public string ResultProblem { get; private set; } = "";

    public IEnumerable<HeClientRecord> Valid(HeStage stage) => ClientMessages.Where(m => m.Valid && m.Envelope!.Stage == stage);

    public IEnumerable<HeServerRecord> ServerMessagesOf<T>() where T : HeServerMessage => ServerMessages.Where(s => s.Message is T);

    // Null (with the reason) when the header or configuration cannot be used.
    public static HeRoundView? Build(IReadOnlyList<TranscriptRecord> records, TranscriptHeader? header, out string problem)
    {
        if (!TryReadHeader(header, TranscriptHeader.HeScheme, "expected version 1, scheme he", out problem))
        {
            return null;
        }
        HeRoundParameters parameters;
        byte[] encoded = header.Configuration ?? [];
        try
        {
            parameters = HeRoundParameters.Create(MessageCodec.Decode<HeRoundConfiguration>(encoded, encoded.Length));
        }
        catch (MalformedMessageException e)
        {
            problem = $"the HE configuration does not decode: {e.Message}";
            return null;
        }
        catch (InvalidRoundConfigurationException e)
        {
            problem = $"the HE configuration is invalid: {e.Message}";
            return null;
        }
        if (!parameters.EncodedConfiguration.Span.SequenceEqual(encoded))
        {
            problem = "the HE configuration is not in its canonical encoding (it re-encodes to other bytes, so its hash would differ)";
            return null;
        }
        var view = new HeRoundView(records, header, parameters);
        view.Decode();
        return view;
    }

    private void Decode()
    {
        for (int i = 1; i < Records.Count; i++)
        {
            TranscriptRecord r = Records[i];
            switch (r.Kind)
            {
                case TranscriptRecordKind.ClientToServer:
                    ClientMessages.Add(DecodeClient(i, r));
                    break;
                case TranscriptRecordKind.ServerToClient:
                    ServerMessages.Add(new HeServerRecord(i, r, TryDecode<HeServerMessage>(r.Payload), Closes.Count));
                    break;
                case TranscriptRecordKind.StageClosed:
                    if (r.Payload.Length != 0 || r.Body.Party != 0)
                    {
                        StrayRecords.Add($"record {i}: a StageClosed record must have an empty payload and party 0");
                    }
                    Closes.Add(i);
                    break;
                case TranscriptRecordKind.Result:
                    DecodeResult(r);
                    break;
                case TranscriptRecordKind.End:
                    break;
                default:
                    StrayRecords.Add($"record {i}: a {r.Kind} record has no place in an HE transcript");
                    break;
            }
        }
    }

    private HeClientRecord DecodeClient(int index, TranscriptRecord r)
    {
        HeEnvelope? envelope = TryDecode<HeEnvelope>(r.Payload);
        if (envelope is null)
        {
            return new HeClientRecord(index, r, null, null, "not an HeEnvelope");
        }
        if (envelope.SenderId != r.Body.Party)
        {
            return new HeClientRecord(index, r, envelope, null, $"sender {envelope.SenderId} but recorded as from client {r.Body.Party}");
        }
        if (!Parameters.Identities.ContainsKey(envelope.SenderId))
        {
            return new HeClientRecord(index, r, envelope, null, $"client {envelope.SenderId} is not on the roster");
        }
        if (!HeEnvelopeSigning.Verify(Parameters, envelope))
        {
            return new HeClientRecord(index, r, envelope, null, $"the {envelope.Stage} signature of client {envelope.SenderId} does not verify against the roster");
        }
        object? body = envelope.Stage switch
        {
            HeStage.KeyAdvertisement => TryDecode<KeyAdvertisement>(envelope.Body),
            HeStage.KeyShares => TryDecode<KeyShares>(envelope.Body),
            HeStage.Upload => TryDecode<ClientUpload>(envelope.Body),
            HeStage.DecryptionShare => TryDecode<DecryptionShareBody>(envelope.Body),
            _ => null,
        };
        return new HeClientRecord(index, r, envelope, body, body is null ? $"the {envelope.Stage} body of client {envelope.SenderId} does not decode" : null);
    }

    private void DecodeResult(TranscriptRecord r)
    {
        Result = TryDecode<HeTranscriptResult>(r.Payload);
        if (Result is null)
        {
            ResultProblem = "the result record is not an HeTranscriptResult";
        }
        else if (Result.Sum is null || Result.Contributors is null || Result.AbortDetail is null)
        {
            ResultProblem = "the result record has nil fields";
            Result = null;
        }
    }
}
