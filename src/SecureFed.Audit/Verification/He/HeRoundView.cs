using SecureFed.Transcripts;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;

namespace SecureFed.Audit.Verification.He;

// An HE round as decoded from a transcript: the validated configuration, every client envelope (with its validity),
// every server message and stage close, and the published result. Sets are computed from valid client envelopes.
internal sealed class HeRoundView
{
    private HeRoundView(IReadOnlyList<TranscriptRecord> records, TranscriptHeader header, HeRoundParameters parameters)
    {
        Records = records;
        Header = header;
        Parameters = parameters;
    }

    public IReadOnlyList<TranscriptRecord> Records { get; }

    public TranscriptHeader Header { get; }

    public HeRoundParameters Parameters { get; }

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
        problem = "";
        if (header is null)
        {
            problem = "the header record is missing or malformed";
            return null;
        }
        if (header.Version != TranscriptFormat.Version || header.Scheme != HeTranscriptWriter.Scheme)
        {
            problem = $"unsupported header: version {header.Version}, scheme '{header.Scheme}' (expected version 1, scheme he)";
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

    private static T? TryDecode<T>(ReadOnlyMemory<byte> bytes) where T : class
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
}
