using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SecureFed.Transcripts;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;

namespace SecureFed.Audit.Tests;

// Regenerates protocol-spec/test-vectors/transcript-format.json (run once with SECUREFED_WRITE_VECTORS=1 to write it).
public class TranscriptVectorTests
{
    private const string FileName = "transcript-format.json";

    internal static JsonNode Generate()
    {
        byte[] aggregatorSeed = [.. Enumerable.Range(0, 32).Select(i => (byte)(0xA0 + i))];
        using IdentityKeyPair aggregator = IdentityKeyPair.FromSeed(aggregatorSeed);
        using IdentityKeyPair c1 = IdentityKeyPair.FromSeed([.. Enumerable.Range(0, 32).Select(i => (byte)i)]);
        using IdentityKeyPair c2 = IdentityKeyPair.FromSeed([.. Enumerable.Range(0, 32).Select(i => (byte)(i + 32))]);
        var configuration = new RoundConfiguration
        {
            RoundId = [.. Enumerable.Range(0, 16).Select(i => (byte)(0xF0 + i))],
            Vectors = [new VectorSpec { Length = 2, Bits = 16 }],
            Threshold = 2,
            Roster = [new RosterEntry { ClientId = 1, IdentityKey = c1.PublicKey.Bytes.ToArray() }, new RosterEntry { ClientId = 2, IdentityKey = c2.PublicKey.Bytes.ToArray() }],
        };
        // The format does not interpret message bytes, so short opaque payloads keep the vector readable.
        RecordedMessage[] messages =
        [
            new(TranscriptRecordKind.ClientToServer, 1, 10, [0x01, 0x02, 0x03]),
            new(TranscriptRecordKind.ServerToClient, 1, 25, [0x92, 0x00, 0x90]),
        ];
        var result = new TranscriptResult { Completed = true, Sums = [[0x05, 0x00, 0x07, 0x00]], Survivors = [1, 2], Dropped = [] };
        using var stream = new MemoryStream();
        TranscriptWriter.Write(stream, configuration, messages, result, null, aggregator, "2026-01-01T00:00:00.000Z");
        byte[] file = stream.ToArray();
        var records = new JsonArray();
        foreach (TranscriptRecord r in TranscriptReader.Read(file))
        {
            records.Add(new JsonObject
            {
                ["kind"] = r.Kind.ToString(),
                ["offset"] = r.Offset,
                ["body"] = Convert.ToHexStringLower(file.AsSpan((int)r.Offset + 4, r.Size - 4 - TranscriptFormat.SignatureSize)),
                ["hash"] = Convert.ToHexStringLower(r.Hash),
                ["signature"] = Convert.ToHexStringLower(r.Signature),
            });
        }
        return new JsonObject
        {
            ["description"] = "A transcript of two opaque messages (protocol-spec/transcript.md): header, 2 message records, result, end.",
            ["aggregatorSeed"] = Convert.ToHexStringLower(aggregatorSeed),
            ["aggregatorPublicKey"] = Convert.ToHexStringLower(aggregator.PublicKey.Bytes),
            ["configuration"] = Convert.ToHexStringLower(MessageCodec.EncodeConfiguration(configuration)),
            ["createdUtc"] = "2026-01-01T00:00:00.000Z",
            ["messages"] = new JsonArray([.. messages.Select(m => (JsonNode)new JsonObject
            {
                ["kind"] = m.Kind.ToString(), ["party"] = m.Party, ["elapsedMicroseconds"] = m.ElapsedMicroseconds, ["bytes"] = Convert.ToHexStringLower(m.Bytes),
            })]),
            ["result"] = Convert.ToHexStringLower(MessageCodec.Encode(result)),
            ["records"] = records,
            ["file"] = Convert.ToHexStringLower(file),
            ["fileSha256"] = Convert.ToHexStringLower(SHA256.HashData(file)),
        };
    }

    [Fact]
    public void The_committed_vector_matches_the_implementation()
    {
        CommittedVector.AssertMatches(FileName, Generate());
    }

    [Fact]
    public void The_vector_chains_and_signs_as_the_spec_says()
    {
        JsonNode v = Generate();
        byte[] previous = new byte[32];
        var key = IdentityPublicKey.Import(Convert.FromHexString(v["aggregatorPublicKey"]!.GetValue<string>()));
        foreach (JsonNode? r in v["records"]!.AsArray())
        {
            byte[] body = Convert.FromHexString(r!["body"]!.GetValue<string>());
            // hash = SHA-256("SecureFed/transcript/v1/record" || body), computed here without the library's helper.
            byte[] hash = SHA256.HashData([.. "SecureFed/transcript/v1/record"u8.ToArray(), .. body]);
            Assert.Equal(r["hash"]!.GetValue<string>(), Convert.ToHexStringLower(hash));
            Assert.Equal(previous, MessageCodec.Decode<TranscriptRecordBody>(body, body.Length).PreviousHash);
            Assert.True(key.Verify([.. "SecureFed/transcript/v1/aggregator-signature"u8.ToArray(), .. hash], Convert.FromHexString(r["signature"]!.GetValue<string>())));
            previous = hash;
        }
    }
}
