using System.Text.Json.Nodes;
using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Seal;
using SecureFed.Primitives.Randomness;
using SecureFed.Testing;

namespace SecureFed.Lattice.Tests.Seal;

/// <summary>
/// Both directions against Microsoft SEAL 4.1 itself (node-seal 7.0.0, tools/seal-interop/peer.js), at SEAL's
/// default N = 4096 chain with t = 2^32: SEAL loads what we write (and writes it back byte for byte), encrypts under
/// our key and decrypts our ciphertexts with our (test) secret key; we load SEAL's keys and ciphertexts.
/// </summary>
public sealed class SealInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("securefed-seal-").FullName;
    private readonly BfvParameters _p = BfvParameters.SealDefault(4096, 32);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SealPeerFact]
    public void SEAL_encrypts_under_our_key_and_we_decrypt()
    {
        using var rng = new DeterministicRandomSource(11);
        using var sk = SecretKey.Generate(_p, rng);
        var pk = PublicKey.Generate(sk, rng);
        var seal = SealEncryptionParameters.FromBfv(_p);
        Write("parms.bin", seal.Save());
        Write("pk.bin", SealSerializer.SavePublicKey(pk, SealComprMode.Zstd));
        var values = Values(rng, _p.Degree);
        string[] modes = ["none", "zlib", "zstd"];
        var results = SealPeer.Run(_dir, "parms.bin",
        [
            new { op = "info" },
            new { op = "resave", kind = "parms", @in = "parms.bin", @out = "parms.again", compression = "none" },
            new { op = "resave", kind = "publicKey", @in = "pk.bin", @out = "pk.again", compression = "none" },
            .. modes.Select(m => (object)new { op = "encrypt", publicKey = "pk.bin", values = values.Select(v => v.ToString()).ToArray(), @out = $"ct.{m}", compression = m }),
        ]);

        var info = results[0]!;
        Assert.Equal(Convert.ToHexStringLower(seal.ParmsId(3)), (string)info["keyParmsId"]!);
        Assert.Equal(Convert.ToHexStringLower(seal.ParmsId(2)), (string)info["firstParmsId"]!);
        Assert.Equal(Convert.ToHexStringLower(seal.ParmsId(1)), (string)info["lastParmsId"]!);
        Assert.Equal(seal.Save(), Read("parms.again"));
        Assert.Equal(SealSerializer.SavePublicKey(pk), Read("pk.again"));

        var back = new ulong[_p.Degree];
        for (int i = 0; i < modes.Length; i++)
        {
            byte[] bytes = Read($"ct.{modes[i]}");
            var header = SealHeader.Read(bytes);
            Assert.Equal((SealHeader.Magic, (byte)4, (byte)1, (SealComprMode)i, (ulong)bytes.Length),
                ((ushort)(bytes[0] | bytes[1] << 8), header.VersionMajor, header.VersionMinor, header.ComprMode, header.Size));
            Assert.Equal(bytes.Length, (int)results[3 + i]!["size"]!);
            var ct = SealSerializer.LoadCiphertext(_p, bytes);
            Assert.Equal(2, ct.Level); // SEAL's first data level: the special prime switched away
            new BfvDecryptor(sk).Decrypt(ct, back);
            Assert.Equal(values, back);
            if (i == 0)
            {
                Assert.Equal(16 + 73 + 24 + 2 * 2 * 4096 * 8, bytes.Length);
                Assert.Equal(bytes, SealSerializer.SaveCiphertext(ct)); // and we write it back byte for byte
            }
        }
    }

    [SealPeerFact]
    public void SEAL_decrypts_our_ciphertexts_with_our_test_key()
    {
        using var rng = new DeterministicRandomSource(12);
        using var sk = SecretKey.Generate(_p, rng);
        var pk = PublicKey.Generate(sk, rng);
        Write("parms.bin", SealEncryptionParameters.FromBfv(_p).Save(SealComprMode.Zlib));
        Write("sk.bin", SealSerializer.SaveSecretKey(sk, SealComprMode.Zlib));
        var values = Values(rng, _p.Degree);
        var encryptor = new BfvEncryptor(pk);
        var at2 = encryptor.Encrypt(values, rng, targetLevel: 2);
        // Level 1 (one 36-bit prime) has no room for t = 2^32 and the switching noise: SEAL's own ciphertexts stop at 2 here too.
        var again = encryptor.Encrypt(values, rng, targetLevel: 2);
        Write("ct2.none", SealSerializer.SaveCiphertext(at2));
        Write("ct2.zstd", SealSerializer.SaveCiphertext(at2, SealComprMode.Zstd));
        Write("again.zlib", SealSerializer.SaveCiphertext(again, SealComprMode.Zlib));
        var results = SealPeer.Run(_dir, "parms.bin",
        [
            new { op = "decrypt", secretKey = "sk.bin", @in = "ct2.none" },
            new { op = "decrypt", secretKey = "sk.bin", @in = "ct2.zstd" },
            new { op = "decrypt", secretKey = "sk.bin", @in = "again.zlib" },
            new { op = "resave", kind = "ciphertext", @in = "ct2.zstd", @out = "ct2.again", compression = "none" },
            new { op = "resave", kind = "secretKey", @in = "sk.bin", @out = "sk.again", compression = "none" },
        ]);
        int[] levels = [2, 2, 2];
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(values, Decoded(results[i]!, _p.Degree));
            Assert.Equal(levels[i], (int)results[i]!["coeffModulusSize"]!);
            Assert.True((int)results[i]!["noiseBudget"]! > 0);
        }
        Assert.Equal(Read("ct2.none"), Read("ct2.again"));
        Assert.Equal(SealSerializer.SaveSecretKey(sk), Read("sk.again"));
    }

    [SealPeerFact]
    public void Keys_SEAL_generated_load_here_and_work_both_ways()
    {
        Write("parms.bin", SealEncryptionParameters.FromBfv(_p).Save());
        SealPeer.Run(_dir, "parms.bin", [new { op = "keygen", publicKey = "pk.bin", secretKey = "sk.bin", compression = "zstd" }]);
        var pk = SealSerializer.LoadPublicKey(_p, Read("pk.bin"));
        using var sk = SealSerializer.LoadSecretKey(_p, Read("sk.bin"));
        using var rng = new DeterministicRandomSource(13);
        var values = Values(rng, _p.Degree);
        Write("ours.bin", SealSerializer.SaveCiphertext(new BfvEncryptor(pk).Encrypt(values, rng, targetLevel: 2)));
        var results = SealPeer.Run(_dir, "parms.bin",
        [
            new { op = "decrypt", secretKey = "sk.bin", @in = "ours.bin" },
            new { op = "encrypt", publicKey = "pk.bin", values = values.Select(v => v.ToString()).ToArray(), @out = "theirs.bin", compression = "none" },
        ]);
        Assert.Equal(values, Decoded(results[0]!, _p.Degree));
        var back = new ulong[_p.Degree];
        new BfvDecryptor(sk).Decrypt(SealSerializer.LoadCiphertext(_p, Read("theirs.bin")), back);
        Assert.Equal(values, back);
    }

    private static ulong[] Values(IRandomSource rng, int count) => Enumerable.Range(0, count).Select(_ => rng.NextBelow(1UL << 32)).ToArray();

    private static ulong[] Decoded(JsonNode result, int degree)
    {
        var decoded = new ulong[degree]; // SEAL trims trailing zero coefficients
        var values = result["values"]!.AsArray();
        for (int j = 0; j < values.Count; j++)
        {
            decoded[j] = ulong.Parse((string)values[j]!);
        }
        return decoded;
    }

    private void Write(string name, byte[] bytes) => File.WriteAllBytes(Path.Combine(_dir, name), bytes);

    private byte[] Read(string name) => File.ReadAllBytes(Path.Combine(_dir, name));
}
