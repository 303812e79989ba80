using SecureFed.Lattice.Bfv;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Lattice.Tests;

public sealed class BfvTests
{
    private static ulong[] RandomValues(IRandomSource rng, int count, ulong bound)
    {
        var v = new ulong[count];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = rng.NextBelow(bound);
        }
        return v;
    }

    [Theory]
    [InlineData(4096, 32)]
    [InlineData(4096, 16)]
    [InlineData(8192, 64)]
    public void PublicKeyEncryptionRoundTrips(int degree, int bits)
    {
        var p = BfvParameters.SealDefault(degree, bits);
        using var rng = new DeterministicRandomSource(degree + bits);
        using var sk = SecretKey.Generate(p, rng);
        var pk = PublicKey.Generate(sk, rng);
        ulong bound = bits == 64 ? ulong.MaxValue : 1UL << bits;
        var values = RandomValues(rng, degree, bound);
        values[0] = bound - 1;
        values[1] = 0;
        var ct = new BfvEncryptor(pk).Encrypt(values, rng);
        var back = new ulong[degree];
        new BfvDecryptor(sk).Decrypt(ct, back);
        Assert.Equal(values, back);
    }

    [Fact]
    public void SymmetricSeededEncryptionRoundTripsThroughSerializationAtHalfTheSize()
    {
        var p = BfvParameters.SealDefault(4096, 32);
        using var rng = new DeterministicRandomSource(3);
        using var sk = SecretKey.Generate(p, rng);
        var values = RandomValues(rng, 1000, 1UL << 32);
        var ct = new BfvSymmetricEncryptor(sk).Encrypt(values, rng);
        Assert.True(ct.IsSeeded);
        byte[] bytes = CiphertextCodec.Serialize(ct);
        var pk = PublicKey.Generate(sk, rng);
        byte[] full = CiphertextCodec.Serialize(new BfvEncryptor(pk).Encrypt(values, rng));
        Assert.True(bytes.Length < full.Length / 2 + 64);
        var parsed = CiphertextCodec.Deserialize(bytes, p).Single();
        var back = new ulong[1000];
        new BfvDecryptor(sk).Decrypt(parsed, back);
        Assert.Equal(values, back);
    }

    [Fact]
    public void SumOfManyCiphertextsDecryptsToTheSumModT()
    {
        var p = BfvParameters.SealDefault(4096, 20);
        using var rng = new DeterministicRandomSource(5);
        using var sk = SecretKey.Generate(p, rng);
        var pk = PublicKey.Generate(sk, rng);
        var enc = new BfvEncryptor(pk);
        var sum = Ciphertext.Zero(p, p.KeyLevel);
        var expected = new ulong[64];
        for (int c = 0; c < 300; c++)
        {
            var v = RandomValues(rng, 64, 1UL << 20); // wraps mod 2^20 on purpose
            for (int i = 0; i < 64; i++)
            {
                expected[i] = (expected[i] + v[i]) & ((1UL << 20) - 1);
            }
            sum.AddInPlace(enc.Encrypt(v, rng));
        }
        var back = new ulong[64];
        new BfvDecryptor(sk).Decrypt(sum, back);
        Assert.Equal(expected, back);
    }

    [Fact]
    public void ModulusSwitchingKeepsThePlaintextAndNoiseStaysWithinTheModel()
    {
        var p = BfvParameters.Create(new BfvParameterOptions { Degree = 4096, PrimeBits = [44, 44, 21], PlaintextBits = 32 });
        using var rng = new DeterministicRandomSource(9);
        using var sk = SecretKey.Generate(p, rng);
        var pk = PublicKey.Generate(sk, rng);
        var enc = new BfvEncryptor(pk);
        var dec = new BfvDecryptor(sk);
        const int clients = 20;
        var sum = Ciphertext.Zero(p, 2);
        var expected = new ulong[4096];
        for (int c = 0; c < clients; c++)
        {
            var v = RandomValues(rng, 4096, (1UL << 32) / clients);
            var ct = enc.Encrypt(v, rng, targetLevel: 2);
            Assert.Equal(2, ct.Level);
            for (int i = 0; i < v.Length; i++)
            {
                expected[i] += v[i];
            }
            sum.AddInPlace(ct);
        }
        var back = new ulong[4096];
        dec.Decrypt(sum, back);
        Assert.Equal(expected, back);
        double measured = NoiseMeter.MaxNoiseLog2(p, dec.Phase(sum), 2, expected);
        double bound = NoiseModel.AggregateNoiseLog2(p, 2, clients, keyParties: 1);
        Assert.True(measured <= bound, $"measured 2^{measured:F1} exceeds the model's 2^{bound:F1}");
        Assert.True(measured >= bound - 8, $"model 2^{bound:F1} is far too loose for measured 2^{measured:F1}");
        // Without switching the fresh noise is larger (and still bounded).
        var fresh = enc.Encrypt(expected.Select(x => x % 1000).ToArray(), rng);
        double freshMeasured = NoiseMeter.MaxNoiseLog2(p, dec.Phase(fresh), 3, expected.Select(x => x % 1000).ToArray());
        Assert.True(freshMeasured <= NoiseModel.AggregateNoiseLog2(p, 3, 1, 1));
    }

    [Fact]
    public void SwitchingDownTwoPrimesAtOnceStillDecrypts()
    {
        var p = BfvParameters.Create(new BfvParameterOptions { Degree = 4096, PrimeBits = [40, 35, 30], PlaintextBits = 16 });
        using var rng = new DeterministicRandomSource(12);
        using var sk = SecretKey.Generate(p, rng);
        var enc = new BfvEncryptor(PublicKey.Generate(sk, rng));
        var values = RandomValues(rng, 4096, 1UL << 16);
        var ct = enc.Encrypt(values, rng, targetLevel: 1);
        Assert.Equal(1, ct.Level);
        var back = new ulong[4096];
        new BfvDecryptor(sk).Decrypt(ct, back);
        Assert.Equal(values, back);
        Assert.Throws<ArgumentOutOfRangeException>(() => ct.SwitchToLevel(2));
        var twoBodies = Ciphertext.Zero(p, 1, bodies: 2);
        Assert.Throws<ArgumentException>(() => new BfvDecryptor(sk).Decrypt(twoBodies, back));
        Assert.Throws<ArgumentException>(() => ct.AddInPlace(twoBodies));
    }

    [Fact]
    public void ParameterValidationNamesTheBadField()
    {
        Assert.Contains("PrimeBits", Assert.Throws<HeParameterException>(() =>
            BfvParameters.Create(new BfvParameterOptions { Degree = 4096, PrimeBits = [60, 50], PlaintextBits = 32 })).Message);
        Assert.Contains("Degree", Assert.Throws<HeParameterException>(() =>
            BfvParameters.Create(new BfvParameterOptions { Degree = 512, PrimeBits = [20], PlaintextBits = 16 })).Message);
        Assert.Contains("PlaintextBits", Assert.Throws<HeParameterException>(() =>
            BfvParameters.Create(new BfvParameterOptions { Degree = 4096, PrimeBits = [50], PlaintextBits = 8 })).Message);
        Assert.Contains("PrimeBits", Assert.Throws<HeParameterException>(() =>
            BfvParameters.Create(new BfvParameterOptions { Degree = 4096, PrimeBits = [61], PlaintextBits = 16 })).Message);
        Assert.Contains("Degree", Assert.Throws<HeParameterException>(() =>
            BfvParameters.InsecureForTestsOnly(new BfvParameterOptions { Degree = 100, PrimeBits = [30], PlaintextBits = 16 })).Message);
        var insecure = BfvParameters.InsecureForTestsOnly(new BfvParameterOptions { Degree = 16, PrimeBits = [40, 40], PlaintextBits = 16 });
        Assert.False(insecure.IsStandardSecure);
        Assert.True(BfvParameters.SealDefault(8192, 32).IsStandardSecure);
        Assert.Equal(218, BfvParameters.SealDefault(8192, 32).TotalModulusBits);
    }

    [Fact]
    public void EncryptRejectsOutOfRangeInput()
    {
        var p = BfvParameters.InsecureForTestsOnly(new BfvParameterOptions { Degree = 16, PrimeBits = [40, 40], PlaintextBits = 16 });
        using var rng = new DeterministicRandomSource(1);
        using var sk = SecretKey.Generate(p, rng);
        var enc = new BfvEncryptor(PublicKey.Generate(sk, rng));
        Assert.Throws<ArgumentException>(() => enc.Encrypt([1UL << 16], rng));
        Assert.Throws<ArgumentException>(() => enc.Encrypt(new ulong[17], rng));
        sk.Dispose();
        Assert.Throws<ObjectDisposedException>(() => new BfvDecryptor(sk).Decrypt(Ciphertext.Zero(p, 2), new ulong[16]));
        Assert.DoesNotContain("0", sk.ToString());
    }

    [Fact]
    public void SerializationRoundTripsAndRejectsTampering()
    {
        var p = BfvParameters.SealDefault(4096, 32);
        using var rng = new DeterministicRandomSource(21);
        using var sk = SecretKey.Generate(p, rng);
        var enc = new BfvEncryptor(PublicKey.Generate(sk, rng));
        var blocks = new[] { enc.Encrypt(RandomValues(rng, 4096, 1UL << 32), rng, 2), enc.Encrypt(RandomValues(rng, 10, 7), rng, 2) };
        byte[] bytes = CiphertextCodec.Serialize(blocks);
        Assert.Equal(CiphertextCodec.SerializedSize(p, 2, 2, false), bytes.Length);
        Assert.Equal(24 + 2 * 2 * 4096 * (36 + 36) / 8, bytes.Length);
        var parsed = CiphertextCodec.Deserialize(bytes, p);
        Assert.Equal(bytes, CiphertextCodec.Serialize(parsed));

        Assert.Throws<HeFormatException>(() => CiphertextCodec.Deserialize(bytes.AsSpan(0, bytes.Length - 1), p));
        Assert.Throws<HeFormatException>(() => CiphertextCodec.Deserialize(bytes.AsSpan(0, 10), p));
        foreach (int offset in new[] { 0, 4, 5, 6, 7, 8, 16, 20, 21, 23 })
        {
            var bad = (byte[])bytes.Clone();
            bad[offset] ^= 0x40;
            Assert.Throws<HeFormatException>(() => CiphertextCodec.Deserialize(bad, p));
        }
        var unreduced = (byte[])bytes.Clone();
        for (int i = 24; i < 24 + 9; i++)
        {
            unreduced[i] = 0xFF; // first coefficient all ones: 2^36 - 1 >= p
        }
        Assert.Throws<HeFormatException>(() => CiphertextCodec.Deserialize(unreduced, p));
        var other = BfvParameters.SealDefault(4096, 16);
        Assert.Throws<HeFormatException>(() => CiphertextCodec.Deserialize(bytes, other));
    }

    [Fact]
    public void BitPackingRoundTripsAtEveryWidth()
    {
        for (int w = 1; w <= 60; w++)
        {
            var v = Enumerable.Range(0, 24).Select(i => ((ulong)i * 0x9E3779B97F4A7C15UL) & ((1UL << w) - 1)).ToArray();
            var bytes = new byte[BitPacking.PackedSize(v.Length, w)];
            BitPacking.Pack(v, w, bytes);
            var back = new ulong[v.Length];
            BitPacking.Unpack(bytes, w, ulong.MaxValue, back);
            Assert.Equal(v, back);
        }
    }

    [Fact]
    public void AggregationPlanRefusesOverflowAndImpossibleNoise()
    {
        Assert.Contains("InputRange", Assert.Throws<HeParameterException>(() => AggregationPlan.Create(
            new AggregationOptions { Clients = 10, InputRange = (1UL << 32) / 9, Bits = 32 })).Message);
        Assert.Contains("Degree", Assert.Throws<HeParameterException>(() => AggregationPlan.Create(
            new AggregationOptions { Clients = 10, InputRange = 1000, Bits = 64, Decryptors = 10, FloodingBits = 80, Degree = 4096 })).Message);
        Assert.Contains("Threshold", Assert.Throws<HeParameterException>(() => AggregationPlan.Create(
            new AggregationOptions { Clients = 10, InputRange = 1000, Decryptors = 3, Threshold = 4 })).Message);
        var plan = AggregationPlan.Create(new AggregationOptions { Clients = 10, InputRange = (1UL << 32) / 10, Bits = 32, Lanes = 1, Bodies = 1, Decryptors = 10, Threshold = 7 });
        Assert.True(plan.NoiseBudgetBits >= 1);
        Assert.True(plan.Parameters.IsStandardSecure);
        Assert.Equal(4096, plan.Parameters.Degree);
    }
}
