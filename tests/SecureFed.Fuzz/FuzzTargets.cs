using SecureFed.Audit.Keys;
using SecureFed.Transcripts;
using SecureFed.Audit.Verification;
using SecureFed.Client;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Seal;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;
using SecureFed.Transport;

namespace SecureFed.Fuzz;

/// <summary>The catalogue: one target per decoder that takes outside bytes (issue 20, part 1).</summary>
public static class FuzzTargets
{
    // Larger than any envelope a round admits: the limit itself is not what is fuzzed.
    private const int Limit = 16 << 20;

    private static readonly Type[] Malformed = [typeof(MalformedMessageException)];
    private static readonly Type[] Configuration = [typeof(MalformedMessageException), typeof(InvalidRoundConfigurationException)];
    private static readonly Type[] TranscriptFormat = [typeof(TranscriptFormatException)];

    // Building round parameters makes tables whose size depends on the (bounded) configuration, not on the input length.
    private static long ParametersBound(int length) => FuzzTarget.Proportional(length) + (64L << 20);

    // A compressed SEAL object is inflated into a buffer as large as the largest object the parameters allow (a public
    // key: 2 x 3 primes x 4096 words, 196 KB), whatever its own length, up to four times (one per decoder), plus the
    // Zstandard decoder's context (about 200 KB each).
    private static long SealBound(int length) => FuzzTarget.Proportional(length) + (4L << 20);

    /// <summary>Every target, by name.</summary>
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("secagg-client-envelope", "ClientEnvelope, then its body as the stage's message (AdvertiseKeys via PeerKeys, ShareKeys, MaskedInput, ConsistencyCheck, UnmaskingShares)",
            true, Malformed, FuzzTarget.Proportional, ClientEnvelopeAndBody),
        new("secagg-server-message", "ServerMessage union (KeyDirectory, ShareDelivery, SurvivorSet, UnmaskingRequest, RoundAbortNotice)",
            true, Malformed, FuzzTarget.Proportional, b => MessageCodec.DecodeServerMessage(b, Limit)),
        new("round-configuration", "RoundConfiguration, then RoundParameters.Create (validation, graph, limits)",
            false, Configuration, ParametersBound, b => RoundParameters.Create(MessageCodec.Decode<RoundConfiguration>(b, Limit))),
        new("he-envelope", "HeEnvelope, then its body as the stage's message (KeyAdvertisement, KeyShares, ClientUpload, DecryptionShareBody)",
            true, Malformed, FuzzTarget.Proportional, HeEnvelopeAndBody),
        new("he-server-message", "HeServerMessage union",
            true, Malformed, FuzzTarget.Proportional, b => MessageCodec.Decode<HeServerMessage>(b, Limit)),
        new("he-round-configuration", "HeRoundConfiguration, then HeRoundParameters.Create",
            false, Configuration, ParametersBound, b => HeRoundParameters.Create(MessageCodec.Decode<HeRoundConfiguration>(b, Limit))),
        new("he-ciphertext", "CiphertextCodec.Deserialize with the seed round's BFV parameters (the upload codec)",
            true, [typeof(HeFormatException)], FuzzTarget.Proportional, b => CiphertextCodec.Deserialize(b, SeedCorpus.HeParameters.Plan.Parameters)),
        new("seal-object", "SEAL 4.1 objects (EncryptionParameters, PublicKey, SecretKey, Ciphertext; none/zlib/zstd) for the seed round's BFV parameters",
            true, [typeof(SealFormatException)], SealBound, SealObject),
        new("transport-enrolment-request", "EnrolmentRequest (POST /v1/enrol body)",
            true, Malformed, FuzzTarget.Proportional, b => MessageCodec.Decode<EnrolmentRequest>(b, Limit)),
        new("transport-enrolment-response", "EnrolmentResponse (as the client library reads it)",
            true, Malformed, FuzzTarget.Proportional, b => MessageCodec.Decode<EnrolmentResponse>(b, Limit)),
        new("transport-round-info", "RoundInfo, then its configuration by scheme and the round parameters (as the client library reads it)",
            true, Configuration, ParametersBound, RoundInfoAndConfiguration),
        new("transport-he-delivery", "HeDelivery, then each message as a HeServerMessage",
            true, Malformed, FuzzTarget.Proportional, HeDeliveryAndMessages),
        new("transcript-reader", "TranscriptReader.Read (framing, hashes, MessagePack records)",
            false, TranscriptFormat, FuzzTarget.Proportional, b => TranscriptReader.Read(b)),
        new("transcript-verify", "TranscriptVerifier.Verify, as `audit verify` runs it: never throws, always a verdict",
            false, [], length => 256L * length + (256L << 20), b => TranscriptVerifier.Verify(b)),
        new("auditor-key-file", "AuditKeyFile.Load (masking auditor key file, JSON)",
            false, TranscriptFormat, FuzzTarget.Proportional, b => LoadFile(b, "audit-keys", p => AuditKeyFile.Load(p).Dispose())),
        new("he-auditor-key-file", "HeAuditKeyFile.Load (HE auditor key file, JSON)",
            false, TranscriptFormat, FuzzTarget.Proportional, b => LoadFile(b, "he-audit-keys", p => HeAuditKeyFile.Load(p))),
        new("identity-key-file", "FileIdentityKeyStore.LoadIdentity (device identity key file)",
            false, [typeof(InvalidDataException)], FuzzTarget.Proportional, b => LoadFile(b, "identity", p => new FileIdentityKeyStore(p).LoadIdentity().Dispose())),
    ];

    /// <summary>The target named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No such target.</exception>
    public static FuzzTarget Get(string name) =>
        All.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"no fuzz target '{name}'; targets: {string.Join(", ", All.Select(t => t.Name))}", nameof(name));

    private static void ClientEnvelopeAndBody(byte[] bytes)
    {
        ClientEnvelope e = MessageCodec.Decode<ClientEnvelope>(bytes, Limit);
        byte[] body = e.Body ?? [];
        _ = e.Stage switch
        {
            ProtocolStage.AdvertiseKeys => PeerKeys.TryParse(body),
            ProtocolStage.ShareKeys => MessageCodec.Decode<ShareKeys>(body, Limit),
            ProtocolStage.MaskedInputCollection => MessageCodec.Decode<MaskedInput>(body, Limit),
            ProtocolStage.ConsistencyCheck => MessageCodec.Decode<ConsistencyCheck>(body, Limit),
            _ => (object)MessageCodec.Decode<UnmaskingShares>(body, Limit),
        };
    }

    private static void HeEnvelopeAndBody(byte[] bytes)
    {
        HeEnvelope e = MessageCodec.Decode<HeEnvelope>(bytes, Limit);
        byte[] body = e.Body ?? [];
        _ = e.Stage switch
        {
            HeStage.KeyAdvertisement => MessageCodec.Decode<KeyAdvertisement>(body, Limit),
            HeStage.KeyShares => MessageCodec.Decode<KeyShares>(body, Limit),
            HeStage.Upload => MessageCodec.Decode<ClientUpload>(body, Limit),
            _ => (object)MessageCodec.Decode<DecryptionShareBody>(body, Limit),
        };
    }

    // Each SEAL decoder in turn (as a peer that does not know which object it was sent would try them); refused only
    // when every one refuses.
    private static void SealObject(byte[] bytes)
    {
        BfvParameters p = SeedCorpus.HeParameters.Plan.Parameters;
        Action[] decoders =
        [
            () => SealEncryptionParameters.Load(bytes),
            () => SealSerializer.LoadPublicKey(p, bytes),
            () => SealSerializer.LoadSecretKey(p, bytes).Dispose(),
            () => SealSerializer.LoadCiphertext(p, bytes),
        ];
        SealFormatException? last = null;
        foreach (Action decode in decoders)
        {
            try
            {
                decode();
                return;
            }
            catch (SealFormatException e)
            {
                last = e;
            }
        }
        throw last!;
    }

    private static void RoundInfoAndConfiguration(byte[] bytes)
    {
        RoundInfo info = MessageCodec.Decode<RoundInfo>(bytes, Limit);
        if (info.Scheme == Schemes.He)
        {
            HeRoundParameters.Create(MessageCodec.Decode<HeRoundConfiguration>(info.Configuration ?? [], Limit));
        }
        else
        {
            RoundParameters.Create(MessageCodec.Decode<RoundConfiguration>(info.Configuration ?? [], Limit));
        }
    }

    private static void HeDeliveryAndMessages(byte[] bytes)
    {
        HeDelivery delivery = MessageCodec.Decode<HeDelivery>(bytes, Limit);
        foreach (byte[]? m in delivery.Messages ?? [])
        {
            MessageCodec.Decode<HeServerMessage>(m ?? [], Limit);
        }
    }

    // The key file decoders read a path; each process writes its inputs to its own file.
    private static void LoadFile(byte[] bytes, string kind, Action<string> load)
    {
        string path = Path.Combine(Path.GetTempPath(), $"securefed-fuzz-{Environment.ProcessId}-{kind}");
        File.WriteAllBytes(path, bytes);
        load(path);
    }
}
