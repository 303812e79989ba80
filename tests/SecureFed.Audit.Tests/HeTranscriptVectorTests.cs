using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SecureFed.Transcripts;
using SecureFed.Audit.Verification;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Messages;

namespace SecureFed.Audit.Tests;

// Regenerates protocol-spec/test-vectors/transcript-he-small.json (run once with SECUREFED_WRITE_VECTORS=1 to write it):
// a seeded 4-client HE round (client 4 drops, decryptor 1 ignores attempt 1) recorded and signed with a fixed key.
public class HeTranscriptVectorTests
{
    private const string FileName = "transcript-he-small.json";

    // Bodies up to this size are written out in full; larger ones (keys, uploads, requests) by length and SHA-256.
    private const int InlineBodyBytes = 600;

    internal static JsonNode Generate()
    {
        using var round = new HeSampleRound(clients: 4, decryptors: 3, threshold: 2, length: 4, droppedClients: [4], droppedAtDecrypt: [1]);
        // The recorder's clock is not reproducible: the vector numbers the messages instead.
        RecordedMessage[] messages = [.. round.Messages.Select((m, i) => m with { ElapsedMicroseconds = i + 1 })];
        byte[] file = round.Write(messages, round.Published);
        using IdentityKeyPair aggregator = HeSampleRound.AggregatorKey();
        var records = new JsonArray();
        foreach (TranscriptRecord r in TranscriptReader.Read(file))
        {
            ReadOnlySpan<byte> body = file.AsSpan((int)r.Offset + 4, r.Size - 4 - TranscriptFormat.SignatureSize);
            var node = new JsonObject
            {
                ["kind"] = r.Kind.ToString(),
                ["party"] = r.Body.Party,
                ["offset"] = r.Offset,
                ["bodyLength"] = body.Length,
                ["hash"] = Convert.ToHexStringLower(r.Hash),
                ["signature"] = Convert.ToHexStringLower(r.Signature),
            };
            if (body.Length <= InlineBodyBytes)
            {
                node["body"] = Convert.ToHexStringLower(body);
            }
            else
            {
                node["payloadSha256"] = Convert.ToHexStringLower(SHA256.HashData(r.Payload));
            }
            records.Add(node);
        }
        return new JsonObject
        {
            ["description"] = "An HE round transcript (protocol-spec/transcript.md, HE rounds): HeRoundSimulator with one DeterministicRandomSource(randomSeed = 77) drawn in the order of he.md 10.6, " +
                "4 clients, decryptors 1..3, t = 2, 4 values of 32 bits; client 4 never uploads, decryptor 1 ignores attempt 1 (retry with indices 2,3). " +
                "Client i's identity seed is 32 bytes of 0x40 + i; input value k of client i is (37 i + 11 k) mod 1000. The ring (degree, primes, uploadLevel) is the plan's choice. " +
                "ElapsedMicroseconds: 0 in the header, message numbers 1, 2, ... in the message records, the last message number in Result and End. " +
                $"Bodies above {InlineBodyBytes} bytes are given by length and the SHA-256 of their payload.",
            ["aggregatorSeed"] = Convert.ToHexStringLower([.. Enumerable.Range(0, 32).Select(i => (byte)(0xC0 + i))]),
            ["aggregatorPublicKey"] = Convert.ToHexStringLower(aggregator.PublicKey.Bytes),
            ["configuration"] = Convert.ToHexStringLower(round.Parameters.EncodedConfiguration.Span),
            ["configurationHash"] = Convert.ToHexStringLower(round.Parameters.ConfigurationHash.Span),
            ["randomSeed"] = HeSampleRound.Seed,
            ["degree"] = round.Parameters.Plan.Parameters.Degree,
            ["primes"] = new JsonArray([.. round.Parameters.Plan.Parameters.Primes.Select(x => (JsonNode)x.ToString(System.Globalization.CultureInfo.InvariantCulture))]),
            ["uploadLevel"] = round.Parameters.Plan.UploadLevel,
            ["createdUtc"] = HeSampleRound.CreatedUtc,
            ["result"] = Convert.ToHexStringLower(MessageCodec.Encode(round.Published)),
            ["sum"] = new JsonArray([.. round.Published.DecodeSum().Select(x => (JsonNode)x)]),
            ["contributors"] = new JsonArray([.. round.Published.Contributors.Select(x => (JsonNode)x)]),
            ["attempts"] = round.Published.Attempts,
            ["records"] = records,
            ["fileLength"] = file.Length,
            ["fileSha256"] = Convert.ToHexStringLower(SHA256.HashData(file)),
        };
    }

    [Fact]
    public void The_committed_vector_matches_the_implementation()
    {
        CommittedVector.AssertMatches(FileName, Generate());
    }

    [Fact]
    public void The_vector_is_a_verifiable_transcript_whose_records_follow_the_spec()
    {
        JsonNode v = Generate();
        var kinds = v["records"]!.AsArray().Select(r => r!["kind"]!.GetValue<string>()).ToList();
        Assert.Equal("Header", kinds[0]);
        Assert.Equal(["Result", "End"], kinds[^2..]);
        // Five closes: H0, H1, H2, attempt 1 (retry), attempt 2 (result); the first close follows the three advertisements.
        Assert.Equal(5, kinds.Count(k => k == "StageClosed"));
        Assert.Equal(["ClientToServer", "ClientToServer", "ClientToServer", "StageClosed"], kinds[1..5]);
        foreach (JsonNode? r in v["records"]!.AsArray().Where(r => r!["kind"]!.GetValue<string>() == "StageClosed"))
        {
            // A StageClosed body: [1, seq, 5, 0, elapsed, bin32 previous hash, bin8 empty payload].
            byte[] body = Convert.FromHexString(r!["body"]!.GetValue<string>());
            var decoded = MessageCodec.Decode<TranscriptRecordBody>(body, body.Length);
            Assert.Equal(TranscriptRecordKind.StageClosed, decoded.Kind);
            Assert.Empty(decoded.Payload);
            Assert.Equal(new byte[] { 0xc4, 0x00 }, body[^2..]);
        }
        Assert.Equal([1u, 2, 3], v["contributors"]!.AsArray().Select(x => x!.GetValue<uint>()));
        Assert.Equal(2, v["attempts"]!.GetValue<int>());
        // The plain sum of clients 1..3: sum over i of (37 i + 11 k) mod 1000.
        Assert.Equal(Enumerable.Range(0, 4).Select(k => (ulong)Enumerable.Range(1, 3).Sum(i => (37 * i + 11 * k) % 1000)), v["sum"]!.AsArray().Select(x => x!.GetValue<ulong>()));
    }

    [Fact]
    public void The_vector_round_verifies()
    {
        using var round = new HeSampleRound(clients: 4, decryptors: 3, threshold: 2, length: 4, droppedClients: [4], droppedAtDecrypt: [1]);
        using var keys = round.Keys();
        Checks.AssertAllPassed(TranscriptVerifier.Verify(round.Transcript, null, null, keys));
    }
}
