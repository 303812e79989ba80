using System.Text.Json;
using SecureFed.Audit.Keys;
using SecureFed.Audit.Transcripts;
using SecureFed.Transcripts;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Simulation;
using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Seal;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Simulation;
using SecureFed.Transport;

namespace SecureFed.Fuzz;

/// <summary>
/// Seed inputs per target: byte strings from protocol-spec/test-vectors and the messages, configuration, transcript
/// and key files of two small recorded rounds (masking and HE) made in process with fixed seeds.
/// </summary>
public static class SeedCorpus
{
    private static readonly Lazy<MaskingRound> Masking = new(MaskingRound.Record);
    private static readonly Lazy<HeRound> He = new(HeRound.Record);

    /// <summary>The recorded HE round's parameters (the ciphertext codec needs BFV parameters).</summary>
    public static HeRoundParameters HeParameters => He.Value.Parameters;

    /// <summary>The seeds of <paramref name="target"/>, never empty.</summary>
    public static IReadOnlyList<byte[]> For(string target)
    {
        List<byte[]> seeds = target switch
        {
            "secagg-client-envelope" => [.. Masking.Value.ClientEnvelopes],
            "secagg-server-message" => [.. Masking.Value.ServerMessages],
            "round-configuration" => [Masking.Value.Configuration, .. Vector("secagg-round.json", "configuration_hex")],
            "he-envelope" => [.. He.Value.Envelopes.Where(e => e.Length <= 64 << 10)],
            "he-server-message" => [.. He.Value.ServerMessages.Where(m => m.Length <= 64 << 10)],
            "he-round-configuration" => [He.Value.Configuration, .. Vector("he-round-small.json", "configuration_hex")],
            "he-ciphertext" => [.. He.Value.Ciphertexts],
            "seal-object" => [.. SealSeeds()],
            "transport-enrolment-request" => [MessageCodec.Encode(new EnrolmentRequest { Token = new string('a', 64) }), .. Vector("transport-request-signing.json", "enrolment_request_msgpack")],
            "transport-enrolment-response" => [MessageCodec.Encode(new EnrolmentResponse { Federation = "demo", ClientId = 7 })],
            "transport-round-info" =>
            [
                MessageCodec.Encode(new RoundInfo { Configuration = Masking.Value.Configuration, Status = "running", StageDeadlineUnixMs = 1 }),
                MessageCodec.Encode(new RoundInfo { Configuration = He.Value.Configuration, Status = "running", Scheme = Schemes.He }),
                .. Vector("transport-request-signing.json", "round_info_msgpack", "he_round_info_msgpack"),
            ],
            "transport-he-delivery" =>
            [
                MessageCodec.Encode(new HeDelivery { Close = 0, Messages = [.. He.Value.ServerMessages.Where(m => m.Length <= 16 << 10).Take(2)] }),
                .. Vector("transport-request-signing.json", "he_delivery_msgpack"),
            ],
            "transcript-reader" or "transcript-verify" => [Masking.Value.Transcript, .. Vector("transcript-format.json", "file")],
            "auditor-key-file" => [Masking.Value.KeyFile],
            "he-auditor-key-file" => [He.Value.KeyFile],
            "identity-key-file" => ["000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"u8.ToArray()],
            _ => throw new ArgumentException($"no seeds for '{target}'", nameof(target)),
        };
        return seeds;
    }

    // SEAL objects for the seed round's parameters in every compression mode (compressed ones are small).
    private static IEnumerable<byte[]> SealSeeds()
    {
        BfvParameters p = HeParameters.Plan.Parameters;
        using var random = new DeterministicRandomSource(4141);
        using var sk = SecretKey.Generate(p, random);
        var pk = PublicKey.Generate(sk, random);
        var ct = new BfvEncryptor(pk).Encrypt([1, 2, 3], random, p.KeyLevel - 1);
        foreach (SealComprMode mode in Enum.GetValues<SealComprMode>())
        {
            yield return SealEncryptionParameters.FromBfv(p).Save(mode);
            yield return SealSerializer.SaveCiphertext(Ciphertext.Zero(p, p.KeyLevel - 1), mode);
        }
        yield return SealSerializer.SaveCiphertext(ct, SealComprMode.Zstd);
        yield return SealSerializer.SavePublicKey(pk, SealComprMode.Zlib);
        yield return SealSerializer.SaveSecretKey(sk, SealComprMode.Zstd);
    }

    // Hex fields of a test-vector file, when the repository's protocol-spec folder is found.
    private static IEnumerable<byte[]> Vector(string file, params string[] fields)
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !Directory.Exists(Path.Combine(dir, "protocol-spec", "test-vectors")))
        {
            dir = Path.GetDirectoryName(dir);
        }
        if (dir is null)
        {
            yield break;
        }
        string path = Path.Combine(dir, "protocol-spec", "test-vectors", file);
        if (!File.Exists(path))
        {
            yield break;
        }
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
        foreach (string field in fields)
        {
            if (doc.RootElement.TryGetProperty(field, out JsonElement value) && value.ValueKind == JsonValueKind.String)
            {
                yield return Convert.FromHexString(value.GetString()!);
            }
        }
    }

    private static byte[] ReadBack(string kind, Action<string> save)
    {
        string path = Path.Combine(Path.GetTempPath(), $"securefed-fuzz-seed-{Environment.ProcessId}-{kind}");
        save(path);
        byte[] bytes = File.ReadAllBytes(path);
        File.Delete(path);
        return bytes;
    }

    private sealed record MaskingRound(byte[][] ClientEnvelopes, byte[][] ServerMessages, byte[] Configuration, byte[] Transcript, byte[] KeyFile)
    {
        private const long Seed = 2020;

        private static ulong[][] Input(uint id) => [[.. Enumerable.Range(0, 16).Select(k => (ulong)(id * 100 + k))]];

        public static MaskingRound Record()
        {
            var recorder = new TranscriptRecorder();
            SimulationReport report = new RoundSimulator(new SimulationOptions
            {
                Clients = 5,
                Vectors = [new VectorSpec { Length = 16, Bits = 32 }],
                Dropouts = new Dictionary<uint, ProtocolStage> { [2] = ProtocolStage.MaskedInputCollection },
                Inputs = Input,
                Seed = Seed,
                Observer = recorder,
                MaxParallelism = 1,
            }).Run();
            IReadOnlyList<RecordedMessage> messages = recorder.Messages;
            using var random = new DeterministicRandomSource(Seed);
            using IdentityKeyPair aggregator = IdentityKeyPair.Generate(random);
            using var transcript = new MemoryStream();
            TranscriptWriter.Write(transcript, report.Configuration, messages, SimulationTranscript.ResultOf(report, double.NaN), null, aggregator, "2026-01-01T00:00:00.000Z");
            byte[] keyFile;
            using (AuditKeyFile keys = AuditKeyFile.Create(Seed, report.Configuration, Input))
            {
                keyFile = ReadBack("audit-keys", keys.Save);
            }
            return new MaskingRound(
                [.. messages.Where(m => m.Kind == TranscriptRecordKind.ClientToServer).Select(m => m.Bytes)],
                [.. messages.Where(m => m.Kind == TranscriptRecordKind.ServerToClient).Select(m => m.Bytes).DistinctBy(Convert.ToHexString)],
                MessageCodec.EncodeConfiguration(report.Configuration), transcript.ToArray(), keyFile);
        }
    }

    private sealed record HeRound(HeRoundParameters Parameters, byte[][] Envelopes, byte[][] ServerMessages, byte[][] Ciphertexts, byte[] Configuration, byte[] KeyFile)
    {
        public static HeRound Record()
        {
            IdentityKeyPair[] identities = [.. Enumerable.Range(1, 4).Select(i => IdentityKeyPair.FromSeed(Enumerable.Repeat((byte)(0x50 + i), 32).ToArray()))];
            try
            {
                var configuration = new HeRoundConfiguration
                {
                    RoundId = [.. Enumerable.Range(0, 16).Select(i => (byte)(0x60 + i))],
                    Roster = [.. Enumerable.Range(1, 4).Select(i => new RosterEntry { ClientId = (uint)i, IdentityKey = identities[i - 1].PublicKey.Bytes.ToArray() })],
                    Decryptors = [1, 2, 3],
                    Threshold = 2,
                    VectorLength = 8,
                    Bits = 32,
                    InputRange = 1000,
                    MinimumClients = 2,
                    MaxDecryptionAttempts = 2,
                };
                HeRoundParameters parameters = HeRoundParameters.Create(configuration);
                Dictionary<uint, ulong[]> inputs = parameters.ClientIds.ToDictionary(id => id, id => Enumerable.Range(0, 8).Select(i => (ulong)(id * 10 + i)).ToArray());
                using var random = new DeterministicRandomSource(77);
                HeSimulationResult result = new HeRoundSimulator(parameters, id => identities[id - 1], random)
                    .Run(id => inputs[id], new HeSimulationOptions { KeepServerLog = true });
                IReadOnlyList<RecordedMessage> messages = HeSimulationTranscript.Record(parameters, result);
                byte[][] envelopes = [.. messages.Where(m => m.Kind == TranscriptRecordKind.ClientToServer).Select(m => m.Bytes)];
                byte[][] ciphertexts =
                [
                    .. envelopes.Select(b => MessageCodec.Decode<HeEnvelope>(b, int.MaxValue)).Where(e => e.Stage == HeStage.Upload)
                        .Select(e => MessageCodec.Decode<ClientUpload>(e.Body, int.MaxValue).Upload).Take(2),
                ];
                byte[] keyFile = ReadBack("he-audit-keys", new HeAuditKeyFile(parameters.ConfigurationHash.Span, inputs).Save);
                return new HeRound(parameters, envelopes,
                    [.. messages.Where(m => m.Kind == TranscriptRecordKind.ServerToClient).Select(m => m.Bytes).DistinctBy(Convert.ToHexString)],
                    ciphertexts, MessageCodec.Encode(configuration), keyFile);
            }
            finally
            {
                foreach (IdentityKeyPair identity in identities)
                {
                    identity.Dispose();
                }
            }
        }
    }
}
