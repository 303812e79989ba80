using System.Security.Cryptography;
using System.Text;
using SecureFed.Primitives.Randomness;
using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Messages;
using SecureFed.Testing;

namespace SecureFed.Protocol.Tests;

// The envelope signing input is label || context || BE32(sender) || u8(stage) || SHA-256(body) (secagg.md 2.2,
// he.md 10.1). The expected bytes are rebuilt here from the spec's text, not through the library's helpers.
public class EnvelopeSigningInputTests
{
    private static byte[] ByHand(string label, byte[] context, uint sender, byte stage, byte[] body) =>
    [
        .. Encoding.ASCII.GetBytes(label),
        .. context,
        (byte)(sender >> 24), (byte)(sender >> 16), (byte)(sender >> 8), (byte)sender,
        stage,
        .. SHA256.HashData(body),
    ];

    private static byte[] RandomBytes(int length, long seed)
    {
        var bytes = new byte[length];
        using var random = new DeterministicRandomSource(seed);
        random.Fill(bytes);
        return bytes;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(400_000)]
    public void The_masking_signing_input_is_label_context_sender_stage_and_the_body_digest(int bodyLength)
    {
        byte[] context = RandomBytes(32, 1);
        byte[] body = RandomBytes(bodyLength, 2);
        byte[] expected = ByHand("SecureFed/secagg/v1/client-message", context, 0x01020304, 2, body);

        byte[] actual = SessionDerivation.EnvelopeSigningInput(context, 0x01020304, ProtocolStage.MaskedInputCollection, body);

        Assert.Equal(expected, actual);
        Assert.Equal(34 + 32 + 4 + 1 + 32, actual.Length); // 34-byte label, fixed size whatever the body length
    }

    // A client that hashed its body itself (while masking into it) signs the same input; a digest of another length is refused.
    [Fact]
    public void The_signing_input_from_a_digest_is_the_one_from_the_body()
    {
        byte[] context = RandomBytes(32, 9);
        byte[] body = RandomBytes(70_001, 10);
        Assert.Equal(
            ByHand("SecureFed/secagg/v1/client-message", context, 77, 2, body),
            LabeledInput.EnvelopeOfDigest("SecureFed/secagg/v1/client-message"u8, context, 77, 2, SHA256.HashData(body)));
        Assert.Throws<ArgumentException>(() => LabeledInput.EnvelopeOfDigest("x"u8, context, 77, 2, new byte[31]));
    }

    [Fact]
    public void The_he_label_goes_through_the_same_layout()
    {
        // HeDerivation.EnvelopeSigningInput is LabeledInput.Envelope with this label and the configuration hash.
        byte[] context = RandomBytes(32, 3);
        byte[] body = RandomBytes(1000, 4);
        byte[] expected = ByHand("SecureFed/he-round/v1/message", context, 7, 3, body);

        Assert.Equal(expected, LabeledInput.Envelope("SecureFed/he-round/v1/message"u8, context, 7, 3, body));
    }

    [Fact]
    public void An_empty_body_contributes_the_fips_180_digest_of_the_empty_string()
    {
        byte[] input = SessionDerivation.EnvelopeSigningInput(new byte[32], 0, ProtocolStage.AdvertiseKeys, []);

        // SHA-256("") from FIPS 180-2 / NIST's example values.
        Assert.Equal(Convert.FromHexString("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), input[^32..]);
    }

    [Fact]
    public void A_sealed_envelope_verifies_against_the_hand_built_input_and_any_changed_body_byte_breaks_it()
    {
        using var round = new ManualRound(3, length: 4, threshold: 2);
        byte[] context = RandomBytes(32, 5);
        byte[] body = RandomBytes(2048, 6);
        ClientEnvelope envelope = EnvelopeSigning.Seal(round.Identity(2), context, 2, ProtocolStage.MaskedInputCollection, body.ToArray());

        // The signature is over exactly the spec's bytes.
        Assert.True(round.Identity(2).PublicKey.Verify(ByHand("SecureFed/secagg/v1/client-message", context, 2, 2, body), envelope.Signature));
        Assert.True(EnvelopeSigning.Verify(round.Parameters, context, envelope));

        foreach (int position in new[] { 0, 1, 1023, body.Length - 1 })
        {
            byte[] original = envelope.Body;
            envelope.Body = original.ToArray();
            envelope.Body[position] ^= 0x01;
            Assert.False(EnvelopeSigning.Verify(round.Parameters, context, envelope), $"body byte {position} changed and still verified");
            envelope.Body = original;
        }
        envelope.Body = [.. body, 0];
        Assert.False(EnvelopeSigning.Verify(round.Parameters, context, envelope), "a body with a byte appended still verified");
        envelope.Body = body[..^1];
        Assert.False(EnvelopeSigning.Verify(round.Parameters, context, envelope), "a truncated body still verified");
        envelope.Body = body;
        Assert.True(EnvelopeSigning.Verify(round.Parameters, context, envelope));
    }

    [Fact]
    public void The_context_sender_and_stage_stay_bound()
    {
        using var round = new ManualRound(3, length: 4, threshold: 2);
        byte[] context = RandomBytes(32, 7);
        byte[] body = RandomBytes(64, 8);
        ClientEnvelope envelope = EnvelopeSigning.Seal(round.Identity(1), context, 1, ProtocolStage.ShareKeys, body);

        byte[] otherContext = context.ToArray();
        otherContext[31] ^= 0x80;
        Assert.False(EnvelopeSigning.Verify(round.Parameters, otherContext, envelope));
        Assert.False(EnvelopeSigning.Verify(round.Parameters, context, new ClientEnvelope { SenderId = 1, Stage = ProtocolStage.MaskedInputCollection, Body = body, Signature = envelope.Signature }));
        Assert.False(EnvelopeSigning.Verify(round.Parameters, context, new ClientEnvelope { SenderId = 3, Stage = ProtocolStage.ShareKeys, Body = body, Signature = envelope.Signature }));
        Assert.True(EnvelopeSigning.Verify(round.Parameters, context, envelope));
    }
}
