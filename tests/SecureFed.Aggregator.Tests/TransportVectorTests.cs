using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecureFed.HeProtocol.Configuration;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;
using SecureFed.Transport;

namespace SecureFed.Aggregator.Tests;

/// <summary>Regenerates protocol-spec/test-vectors/transport-*.json and compares it with the committed file.</summary>
public sealed class TransportVectorTests
{
    private const string File_ = "transport-request-signing.json";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal static JsonNode Generate()
    {
        byte[] seed = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];
        using IdentityKeyPair key = IdentityKeyPair.FromSeed(seed);
        byte[] nonce = [.. Enumerable.Range(0xA0, 16).Select(i => (byte)i)];
        const long timestamp = 1_767_225_600_000; // 2026-01-01T00:00:00Z
        const string roundId = "00112233445566778899aabbccddeeff";
        byte[] body = MessageCodec.Encode(new EnrolmentRequest { Token = new string('7', 64) });
        var requests = new JsonArray();
        foreach (var (method, path, b) in new[]
                 {
                     ("POST", "/v1/enrol", body),
                     ("GET", $"/v1/rounds/{roundId}/messages/2?wait=20", Array.Empty<byte>()),
                     ("GET", $"/v1/rounds/{roundId}/he/closes/3?wait=20", Array.Empty<byte>()),
                 })
        {
            byte[] input = RequestSigning.SigningInput(method, path, key.PublicKey.Bytes, timestamp, nonce, b);
            requests.Add(new JsonObject
            {
                ["method"] = method,
                ["path"] = path,
                ["body"] = Convert.ToHexStringLower(b),
                ["body_sha256"] = Convert.ToHexStringLower(SHA256.HashData(b)),
                ["signing_input"] = Convert.ToHexStringLower(input),
                ["signature_base64"] = Convert.ToBase64String(RequestSigning.Sign(key, method, path, timestamp, nonce, b)),
            });
        }
        // Real configurations a device can decode and validate: round id = the path's, a roster of 3 whose client 1 is
        // the signing key above (clients 2 and 3: Ed25519 seeds of 32 x byte(id)).
        byte[] roundIdBytes = Convert.FromHexString(roundId);
        RosterEntry[] roster = [.. Enumerable.Range(1, 3).Select(i =>
        {
            using IdentityKeyPair k = i == 1 ? IdentityKeyPair.FromSeed(seed) : IdentityKeyPair.FromSeed(Enumerable.Repeat((byte)i, 32).ToArray());
            return new RosterEntry { ClientId = (uint)i, IdentityKey = k.PublicKey.Bytes.ToArray() };
        })];
        var masking = new RoundConfiguration { RoundId = roundIdBytes, Vectors = [new VectorSpec { Length = 4, Bits = 32 }], Threshold = 2, Roster = roster };
        byte[] maskingBytes = RoundParameters.Create(masking).EncodedConfiguration.ToArray();
        var he = new HeRoundConfiguration { RoundId = roundIdBytes, Roster = roster, Decryptors = [1, 2, 3], Threshold = 2, VectorLength = 4, InputRange = 1000, MinimumClients = 2 };
        byte[] heBytes = HeRoundParameters.Create(he).EncodedConfiguration.ToArray();
        var info = new RoundInfo { Configuration = maskingBytes, Stage = 2, Status = "running", StageDeadlineUnixMs = timestamp + 60_000 };
        var heInfo = new RoundInfo { Scheme = Schemes.He, Configuration = heBytes, Stage = 3, Status = "running", StageDeadlineUnixMs = timestamp + 60_000, Closes = 3 };
        var delivery = new HeDelivery { Close = 3, Messages = [[0x92, 0x05, 0x93, 0x01, 0x91, 0x2A, 0x91, 0x07]] };
        return new JsonObject
        {
            ["description"] = "Signed requests (protocol-spec/transport.md): Ed25519 over label || 0 || METHOD || 0 || path || 0 || key || BE64(ts) || nonce || SHA-256(body). " +
                "The RoundInfo records carry real configurations for round id " + roundId + " (a RoundConfiguration, secagg.md 2.1, and an HeRoundConfiguration, he.md 10.1) over a roster of 3 " +
                "whose client 1 is the signing key and clients 2, 3 have the Ed25519 seeds 32 x byte(id).",
            ["ed25519_seed"] = Convert.ToHexStringLower(seed),
            ["public_key"] = key.PublicKey.ToString(),
            ["timestamp_ms"] = timestamp,
            ["nonce"] = Convert.ToHexStringLower(nonce),
            ["requests"] = requests,
            ["enrolment_request_msgpack"] = Convert.ToHexStringLower(body),
            ["round_info_msgpack"] = Convert.ToHexStringLower(MessageCodec.Encode(info)),
            ["he_round_info_msgpack"] = Convert.ToHexStringLower(MessageCodec.Encode(heInfo)),
            ["he_delivery_msgpack"] = Convert.ToHexStringLower(MessageCodec.Encode(delivery)),
        };
    }

    [Fact]
    public void The_committed_request_signing_vector_matches_the_implementation()
    {
        JsonNode fresh = Generate();
        string path = Path.Combine(RepoRoot(), "protocol-spec", "test-vectors", File_);
        if (Environment.GetEnvironmentVariable("SECUREFED_WRITE_VECTORS") == "1")
        {
            File.WriteAllText(path, fresh.ToJsonString(Indented) + "\n");
        }
        Assert.True(File.Exists(path), $"{path} is missing; run the tests once with SECUREFED_WRITE_VECTORS=1");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(path)), fresh), $"{File_} differs from what the code produces");
    }

    [Fact]
    public void The_vector_signatures_verify_and_a_changed_byte_does_not()
    {
        JsonNode v = Generate();
        var key = IdentityPublicKey.Import(Convert.FromHexString(v["public_key"]!.GetValue<string>()));
        byte[] nonce = Convert.FromHexString(v["nonce"]!.GetValue<string>());
        long ts = v["timestamp_ms"]!.GetValue<long>();
        foreach (JsonNode? r in v["requests"]!.AsArray())
        {
            string method = r!["method"]!.GetValue<string>(), path = r["path"]!.GetValue<string>();
            byte[] body = Convert.FromHexString(r["body"]!.GetValue<string>());
            byte[] sig = Convert.FromBase64String(r["signature_base64"]!.GetValue<string>());
            Assert.True(RequestSigning.Verify(key, method, path, ts, nonce, body, sig));
            Assert.False(RequestSigning.Verify(key, method, path + "x", ts, nonce, body, sig));
            Assert.False(RequestSigning.Verify(key, method, path, ts + 1, nonce, body, sig));
            Assert.False(RequestSigning.Verify(key, method, path, ts, nonce, [.. body, 0], sig));
        }
    }

    [Fact]
    public void Signing_refuses_a_nonce_of_the_wrong_size_and_a_non_ascii_path()
    {
        using IdentityKeyPair key = IdentityKeyPair.FromSeed(new byte[32]);
        Assert.Throws<ArgumentException>(() => RequestSigning.Sign(key, "GET", "/v1", 0, new byte[15], []));
        Assert.Throws<ArgumentException>(() => RequestSigning.Sign(key, "GET", "/v1/é", 0, new byte[16], []));
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SecureFed.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("SecureFed.sln not found above the test folder");
    }
}
