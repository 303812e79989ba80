using System.Security.Cryptography;
using MessagePack;
using SecureFed.Primitives.Vectors;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Tests;

// A client writes its masked input and its envelope without MessagePack's objects, and the server reads R2 envelopes
// in place (issue 18); these pin the bytes written to the general encoder's and what is read to the general decoder's.
public class MaskedInputWireTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(8, 255, 1)]
    [InlineData(8, 256, 2)]
    [InlineData(17, 100, 1)]
    [InlineData(25, 16_383, 1)]
    [InlineData(32, 16_384, 3)]
    [InlineData(32, 100_000, 1)]
    [InlineData(33, 77, 16)]
    [InlineData(64, 8_192, 1)]
    [InlineData(60, 8_193, 2)]
    public void The_masked_input_body_is_the_general_encoders_bytes(int bits, int length, int vectors)
    {
        var random = new Random(bits * 31 + length);
        ulong mask = ModularArithmetic.Mask(bits);
        VectorSpec[] specs = [.. Enumerable.Range(0, vectors).Select(j => new VectorSpec { Length = length + j, Bits = bits })];
        ulong[][] values = [.. specs.Select(s => Enumerable.Range(0, s.Length).Select(_ => (ulong)random.NextInt64() * 3 & mask).ToArray())];
        byte[] expected = MessageCodec.Encode(new MaskedInput { Vectors = [.. values.Select(v => ModularArithmetic.Encode(v, bits))] });
        byte[] written = MaskedInputWire.Write(values, specs);
        Assert.Equal(expected, written);
        Assert.True(MaskedInputWire.TryRead(written, out int version, out ReadOnlyMemory<byte>[] read));
        Assert.Equal(1, version);
        Assert.Equal(values.Select(v => ModularArithmetic.Encode(v, bits)), read.Select(r => r.ToArray()));
    }

    // With a digest, Write leaves SHA-256 of the whole body in it: the headers it appends itself, each vector's bytes
    // either by the encoder (returning true, as a client's seed set does while masking) or by Write (returning false).
    [Theory]
    [InlineData(8, 255, 1)]
    [InlineData(17, 100, 3)]
    [InlineData(32, 100_000, 2)]
    [InlineData(33, 77, 16)]
    [InlineData(64, 8_193, 4)]
    [InlineData(32, 5, 0)]
    public void Writing_with_a_digest_leaves_the_bodys_sha256_in_it(int bits, int length, int vectors)
    {
        var random = new Random(bits * 17 + length);
        ulong mask = ModularArithmetic.Mask(bits);
        VectorSpec[] specs = [.. Enumerable.Range(0, vectors).Select(j => new VectorSpec { Length = length + j, Bits = bits })];
        ulong[][] values = [.. specs.Select(s => Enumerable.Range(0, s.Length).Select(_ => (ulong)random.NextInt64() & mask).ToArray())];
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] written = MaskedInputWire.Write(values, specs, digest, (j, vector, destination) =>
        {
            MaskedInputWire.EncodeInto(vector, bits, destination);
            if (j % 2 == 0)
            {
                digest.AppendData(destination);
                return true;
            }
            return false;
        });
        Assert.Equal(MaskedInputWire.Write(values, specs), written);
        Assert.Equal(SHA256.HashData(written), digest.GetHashAndReset());
    }

    [Fact]
    public void Envelopes_are_encoded_as_the_general_encoder_encodes_them()
    {
        var random = new Random(18);
        uint[] senders = [0, 1, 127, 128, 255, 256, 65_535, 65_536, uint.MaxValue];
        int[] versions = [1, 0, -1, -33, 127, 128, int.MaxValue, int.MinValue];
        int[] lengths = [0, 1, 31, 255, 256, 65_535, 65_536, 400_005];
        foreach (uint sender in senders)
        {
            foreach (int length in lengths)
            {
                var envelope = new ClientEnvelope
                {
                    Version = versions[random.Next(versions.Length)],
                    SenderId = sender,
                    Stage = (ProtocolStage)random.Next(256),
                    Body = RandomBytes(random, length),
                    Signature = RandomBytes(random, random.Next(2) == 0 ? 64 : random.Next(300)),
                };
                byte[] general = MessagePackSerializer.Serialize(envelope, MessagePackSerializerOptions.Standard);
                Assert.Equal(general, MessageCodec.Encode(envelope));
                EnvelopeView view = EnvelopeView.TryRead(general) ?? throw new Xunit.Sdk.XunitException("a canonical envelope was not read in place");
                Assert.Equal((envelope.Version, envelope.SenderId, envelope.Stage), (view.Version, view.SenderId, view.Stage));
                Assert.Equal(envelope.Body, view.Body.ToArray());
                Assert.Equal(envelope.Signature, view.Signature.ToArray());
            }
        }
        // Nil body or signature: written by the general encoder (nil), never read in place.
        var nil = new ClientEnvelope { SenderId = 3, Body = null!, Signature = [1] };
        byte[] nilBytes = MessageCodec.Encode(nil);
        Assert.Equal(MessagePackSerializer.Serialize(nil, MessagePackSerializerOptions.Standard), nilBytes);
        Assert.Null(EnvelopeView.TryRead(nilBytes));
    }

    [Fact]
    public void The_kernel_codec_takes_a_message_that_encodes_itself_at_its_word()
    {
        // MessageCodec lives in the kernel and knows no scheme's types: the envelope's fast path reaches it through
        // IDirectlyEncoded. A message's own bytes are used as they are; null leaves the message to the formatter.
        byte[] own = [0x93, 1, 2, 3];
        Assert.Same(own, MessageCodec.Encode(new SelfEncoded(own)));
        Assert.Same(own, MessageCodec.Encode<IDirectlyEncoded>(new SelfEncoded(own)));
        var envelope = new ClientEnvelope { SenderId = 7, Stage = ProtocolStage.MaskedInputCollection, Body = [1, 2, 3], Signature = [4] };
        byte[]? direct = ((IDirectlyEncoded)envelope).TryEncodeDirectly();
        Assert.NotNull(direct);
        Assert.Equal(direct, MessageCodec.Encode(envelope));
        Assert.Null(((IDirectlyEncoded)new ClientEnvelope { Body = null!, Signature = [1] }).TryEncodeDirectly());
    }

    [Fact]
    public void Mutated_envelopes_are_read_in_place_only_when_the_general_decoder_reads_the_same_fields()
    {
        var random = new Random(1818);
        byte[] body = MaskedInputWire.Write([[1, 2, 3, 0xFFFF_FFFF, 5]], [new VectorSpec { Length = 5, Bits = 32 }]);
        byte[] bytes = MessageCodec.Encode(new ClientEnvelope { SenderId = 200, Stage = ProtocolStage.MaskedInputCollection, Body = body, Signature = RandomBytes(random, 64) });
        int inPlace = 0, refused = 0, bodiesRead = 0;
        for (int trial = 0; trial < 4000; trial++)
        {
            byte[] mutated = ByteMutations.Mutate(bytes, random);
            ClientEnvelope? general = null;
            try
            {
                general = MessageCodec.Decode<ClientEnvelope>(mutated, 1 << 20);
            }
            catch (MalformedMessageException)
            {
                refused++;
            }
            if (EnvelopeView.TryRead(mutated) is not { } view)
            {
                continue;
            }
            inPlace++;
            Assert.NotNull(general);
            Assert.Equal((general.Version, general.SenderId, general.Stage), (view.Version, view.SenderId, view.Stage));
            Assert.Equal(general.Body, view.Body.ToArray());
            Assert.Equal(general.Signature, view.Signature.ToArray());
            bodiesRead += AssertBodyReadAsGeneral(view.Body.ToArray()) ? 1 : 0;
        }
        Assert.True(inPlace > 100 && refused > 100 && bodiesRead > 50, $"{inPlace} read in place, {refused} refused, {bodiesRead} bodies read: the mutations should exercise all");
    }

    [Fact]
    public void Mutated_masked_input_bodies_are_read_in_place_only_when_the_general_decoder_reads_the_same_vectors()
    {
        var random = new Random(181);
        byte[] body = MaskedInputWire.Write([[1, 2, 3], [4, 5]], [new VectorSpec { Length = 3, Bits = 32 }, new VectorSpec { Length = 2, Bits = 16 }]);
        int read = 0;
        for (int trial = 0; trial < 4000; trial++)
        {
            read += AssertBodyReadAsGeneral(ByteMutations.Mutate(body, random)) ? 1 : 0;
        }
        Assert.True(read > 100, $"{read} bodies read in place");
    }

    // True when the body was read in place (and then the general decoder read the same vectors).
    private static bool AssertBodyReadAsGeneral(byte[] body)
    {
        MaskedInput? general = null;
        try
        {
            general = MessageCodec.Decode<MaskedInput>(body, body.Length);
        }
        catch (MalformedMessageException)
        {
        }
        if (!MaskedInputWire.TryRead(body, out int version, out ReadOnlyMemory<byte>[] vectors))
        {
            return false;
        }
        Assert.NotNull(general);
        Assert.Equal(general.Version, version);
        Assert.Equal(general.Vectors, vectors.Select(v => v.ToArray()));
        return true;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var b = new byte[length];
        random.NextBytes(b);
        return b;
    }

    private sealed class SelfEncoded(byte[] bytes) : IDirectlyEncoded
    {
        public byte[]? TryEncodeDirectly() => bytes;
    }
}
