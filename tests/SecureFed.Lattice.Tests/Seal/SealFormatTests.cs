using System.Buffers.Binary;
using System.IO.Compression;
using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Seal;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Lattice.Tests.Seal;

/// <summary>
/// SEAL 4.1 serialization without SEAL: known answers taken from node-seal 7.0.0 (SEAL 4.1.2) output, round trips in
/// every compression mode, tamper and misuse. The live checks against SEAL are in <see cref="SealInteropTests"/>.
/// </summary>
public sealed class SealFormatTests
{
    // EncryptionParameters.saveToArray(none) of node-seal 7.0.0 for BFV, N = 4096, BFVDefault(4096) primes, t = 2^32.
    private const string SealParms4096 =
        "5ea1100401000000810000000000000001001000000000000003000000000000005ea1100401000000180000000000000001e0feff0f0000005ea110040100000018000000000000000140fcff0f0000005ea110040100000018000000000000000100feff1f0000005ea110040100000018000000000000000000000001000000";

    private static BfvParameters Params => BfvParameters.SealDefault(4096, 32);

    [Fact]
    public void Parameters_are_written_byte_for_byte_as_SEAL_writes_them()
    {
        var seal = SealEncryptionParameters.FromBfv(Params);
        Assert.Equal(SealParms4096, Convert.ToHexStringLower(seal.Save()));
        var back = SealEncryptionParameters.Load(Convert.FromHexString(SealParms4096));
        Assert.True(back.Describes(Params));
        Assert.Equal(4096, back.Degree);
        Assert.Equal(1UL << 32, back.PlainModulus);
        Assert.False(back.Describes(BfvParameters.SealDefault(4096, 31)));
    }

    [Fact]
    public void Parms_ids_are_SEALs_blake2b_names_of_the_key_and_first_data_level()
    {
        // context.keyParmsId() and context.firstParmsId() from node-seal 7.0.0 for the parameters above.
        var seal = SealEncryptionParameters.FromBfv(Params);
        Assert.Equal(Words(2117403755554748645, 6446807705153206473, 18347745197209035687, 632838822116353063), seal.ParmsId(3));
        Assert.Equal(Words(16324576164140879590, 16510037113580066723, 11961940780122782238, 6138732946464035894), seal.ParmsId(2));
    }

    [Fact]
    public void Blake2b_matches_SEALs_hash_function_and_libsodium()
    {
        // seal.UtilHashFunction.hash([1n, 2n]) in node-seal 7.0.0.
        var input = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(input, 1);
        BinaryPrimitives.WriteUInt64LittleEndian(input.AsSpan(8), 2);
        var output = new byte[32];
        Blake2b.Hash(input, output);
        Assert.Equal(Words(17180299301462951597, 6373110231732307239, 10972861658664113632, 1803709167964272228), output);
        // Lengths around the 128-byte block boundary, against libsodium's BLAKE2b-256 (NSec).
        foreach (int length in new[] { 0, 1, 127, 128, 129, 255, 256, 1000 })
        {
            var data = Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();
            Blake2b.Hash(data, output);
            Assert.Equal(NSec.Cryptography.HashAlgorithm.Blake2b_256.Hash(data), output);
        }
    }

    [Theory]
    [InlineData(SealComprMode.None)]
    [InlineData(SealComprMode.Zlib)]
    [InlineData(SealComprMode.Zstd)]
    public void Keys_and_ciphertexts_round_trip_in_every_mode(SealComprMode mode)
    {
        var p = Params;
        using var rng = new DeterministicRandomSource(7);
        using var sk = SecretKey.Generate(p, rng);
        var pk = PublicKey.Generate(sk, rng);
        var values = Enumerable.Range(0, p.Degree).Select(i => (ulong)i * 1_000_003 % (1UL << 32)).ToArray();
        var ct = new BfvEncryptor(pk).Encrypt(values, rng, targetLevel: 2);

        byte[] ctBytes = SealSerializer.SaveCiphertext(ct, mode);
        var header = SealHeader.Read(ctBytes);
        Assert.Equal((4, 1, mode, (ulong)ctBytes.Length), (header.VersionMajor, header.VersionMinor, header.ComprMode, header.Size));
        if (mode == SealComprMode.None)
        {
            Assert.Equal(16 + 32 + 1 + 5 * 8 + 16 + 8 + 2 * 2 * 4096 * 8, ctBytes.Length);
        }
        using var sk2 = SealSerializer.LoadSecretKey(p, SealSerializer.SaveSecretKey(sk, mode));
        var pk2 = SealSerializer.LoadPublicKey(p, SealSerializer.SavePublicKey(pk, mode));
        var back = new ulong[p.Degree];
        new BfvDecryptor(sk2).Decrypt(SealSerializer.LoadCiphertext(p, ctBytes), back);
        Assert.Equal(values, back);
        new BfvDecryptor(sk).Decrypt(new BfvEncryptor(pk2).Encrypt(values, rng, targetLevel: 2), back);
        Assert.Equal(values, back);
        Assert.Equal(SealSerializer.SavePublicKey(pk), SealSerializer.SavePublicKey(pk2));
    }

    [Fact]
    public void Parameters_and_objects_SEAL_cannot_express_are_refused_at_export()
    {
        var wide = BfvParameters.Create(new BfvParameterOptions { Degree = 4096, PrimeBits = [36, 36, 37], PlaintextBits = 60 });
        var e = Assert.Throws<SealExportException>(() => SealEncryptionParameters.FromBfv(wide));
        Assert.Equal(SealExportRefusal.PlainModulusTooLarge, e.Refusal);
        Assert.NotNull(SealEncryptionParameters.FromBfv(BfvParameters.Create(new BfvParameterOptions { Degree = 4096, PrimeBits = [36, 36, 37], PlaintextBits = 59 })));

        var p = Params;
        e = Assert.Throws<SealExportException>(() => SealSerializer.SaveCiphertext(Ciphertext.Zero(p, 2, bodies: 2)));
        Assert.Equal(SealExportRefusal.MultipleBodies, e.Refusal);
        e = Assert.Throws<SealExportException>(() => SealSerializer.SaveCiphertext(Ciphertext.Zero(p, 3)));
        Assert.Equal(SealExportRefusal.KeyLevelCiphertext, e.Refusal);
    }

    [Fact]
    public void Tampered_or_foreign_bytes_are_refused_with_the_format_exception()
    {
        var p = Params;
        byte[] good = SealSerializer.SaveCiphertext(Ciphertext.Zero(p, 2));
        SealSerializer.LoadCiphertext(p, good);

        Refused(good, b => b[0] ^= 1);                      // magic
        Refused(good, b => b[2] = 17);                      // header size
        Refused(good, b => b[3] = 3);                       // major version
        Refused(good, b => b[5] = 3);                       // compression mode
        Refused(good, b => b[6] = 1);                       // reserved
        Refused(good, b => b[8] ^= 1);                      // size field
        Refused(good, b => b[16] ^= 1);                     // parms_id
        Refused(good, b => b[48] = 1);                      // NTT form
        Refused(good, b => b[49] = 3);                      // size 3
        Refused(good, b => b[80] ^= 1);                     // scale
        Refused(good, b => b[81] = 2);                      // correction factor
        Refused(good, b => BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(b.Length - 8), ulong.MaxValue)); // unreduced residue
        Assert.Throws<SealFormatException>(() => SealSerializer.LoadCiphertext(p, good.AsSpan(0, good.Length - 1)));
        Assert.Throws<SealFormatException>(() => SealSerializer.LoadCiphertext(p, []));
        // A key-level ciphertext and a public key are not ciphertexts of a data level.
        Assert.Throws<SealFormatException>(() => SealSerializer.LoadCiphertext(p, SealSerializer.SavePublicKey(KeyPair(p).Pk)));
        // Other parameters.
        Assert.Throws<SealFormatException>(() => SealSerializer.LoadCiphertext(BfvParameters.SealDefault(4096, 31), good));

        void Refused(byte[] source, Action<byte[]> damage)
        {
            var copy = (byte[])source.Clone();
            damage(copy);
            Assert.Throws<SealFormatException>(() => SealSerializer.LoadCiphertext(p, copy));
        }
    }

    [Fact]
    public void A_compression_bomb_stops_at_the_expected_size()
    {
        // 64 MiB of zeros deflate to ~64 KB; the loader must stop at the largest ciphertext these parameters allow.
        using var stored = new MemoryStream();
        using (var z = new ZLibStream(stored, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++)
            {
                z.Write(zeros);
            }
        }
        var bytes = new byte[16 + stored.Length];
        new SealHeader(4, 1, SealComprMode.Zlib, (ulong)bytes.Length).Write(bytes);
        stored.ToArray().CopyTo(bytes, 16);
        Assert.Throws<SealFormatException>(() => SealSerializer.LoadCiphertext(Params, bytes));
        Assert.Throws<SealFormatException>(() => SealEncryptionParameters.Load(bytes));
    }

    private static (SecretKey Sk, PublicKey Pk) KeyPair(BfvParameters p)
    {
        using var rng = new DeterministicRandomSource(1);
        var sk = SecretKey.Generate(p, rng);
        return (sk, PublicKey.Generate(sk, rng));
    }

    private static byte[] Words(params ulong[] words)
    {
        var b = new byte[8 * words.Length];
        for (int i = 0; i < words.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(8 * i), words[i]);
        }
        return b;
    }
}
