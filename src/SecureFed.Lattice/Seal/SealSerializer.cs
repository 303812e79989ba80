using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SecureFed.Lattice.Bfv;

namespace SecureFed.Lattice.Seal;

/// <summary>
/// Keys and ciphertexts in Microsoft SEAL 4.1's serialization (protocol-spec/he.md section 11), so SEAL, SEAL.NET
/// and node-seal read what SecureFed writes and the reverse. The polynomials are the same numbers in both libraries:
/// the same primes (SEAL's <c>CoeffModulus.Create</c> rule), the same negacyclic NTT (smallest primitive 2N-th root,
/// bit-reversed order; keys are held in NTT form), the same RNS layout (prime-major) and coefficient-form BFV
/// ciphertexts. Ciphertext and PublicKey members: parms_id (32), u8 is_ntt_form, u64 size (2), u64 N, u64 number of
/// primes k, f64 scale (1.0), u64 correction factor (1), then a nested DynArray&lt;u64&gt; of size·k·N words.
/// SecretKey (a Plaintext): parms_id, u64 coeff count (k·N), f64 scale (1.0), nested DynArray. Loading takes exactly
/// one object, checks every field against the expected parameters before allocating, and every residue &lt; p_i.
/// </summary>
public static class SealSerializer
{
    private const int PolyHeaderSize = 32 + 1 + 8 + 8 + 8 + 8 + 8;
    private const int PlainHeaderSize = 32 + 8 + 8;

    /// <summary>The public key as a SEAL <c>PublicKey</c> (key level, NTT form).</summary>
    /// <exception cref="SealExportException">A multi-secret key, or t beyond SEAL's plain modulus.</exception>
    public static byte[] SavePublicKey(PublicKey key, SealComprMode mode = SealComprMode.None)
    {
        ArgumentNullException.ThrowIfNull(key);
        var seal = SealEncryptionParameters.FromBfv(key.Parameters);
        if (key.BodyCount != 1)
        {
            throw new SealExportException(SealExportRefusal.MultipleBodies,
                $"the key has {key.BodyCount} secrets (shared-mask bodies); a SEAL PublicKey has one (use Bodies = 1)");
        }
        return SavePolys(seal, key.Parameters.KeyLevel, ntt: true, key.Bs[0], key.A, mode);
    }

    /// <summary>Reads a SEAL <c>PublicKey</c> made for <paramref name="parameters"/>.</summary>
    /// <exception cref="SealFormatException">Malformed, other parameters, not at the key level or not in NTT form.</exception>
    public static PublicKey LoadPublicKey(BfvParameters parameters, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var (level, data) = LoadPolys(parameters, bytes, ntt: true, "public key");
        int len = level * parameters.Degree;
        return new PublicKey(parameters, [data[..len]], data[len..], []);
    }

    /// <summary>
    /// The secret key as a SEAL <c>SecretKey</c>, for tests and for single-key deployments that want SEAL to
    /// decrypt: the returned bytes hold the key; wipe them when done. A round's collective secret exists nowhere.
    /// </summary>
    /// <exception cref="SealExportException">t beyond SEAL's plain modulus.</exception>
    public static byte[] SaveSecretKey(SecretKey key, SealComprMode mode = SealComprMode.None)
    {
        ArgumentNullException.ThrowIfNull(key);
        var p = key.Parameters;
        var seal = SealEncryptionParameters.FromBfv(p);
        long words = (long)p.KeyLevel * p.Degree;
        var members = new byte[PlainHeaderSize + SealWriter.WordsSize(words)];
        try
        {
            var w = new SealWriter(members);
            foreach (byte b in seal.ParmsId(p.KeyLevel))
            {
                w.U8(b);
            }
            w.U64((ulong)words);
            w.F64(1.0);
            w.Words(key.Ntt);
            return SealFraming.Frame(members, mode);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(members);
        }
    }

    /// <summary>Reads a SEAL <c>SecretKey</c> made for <paramref name="parameters"/> (the caller disposes it).</summary>
    /// <exception cref="SealFormatException">Malformed, other parameters, or a residue not reduced.</exception>
    public static SecretKey LoadSecretKey(BfvParameters parameters, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var seal = Describe(parameters);
        int level = parameters.KeyLevel;
        long words = (long)level * parameters.Degree;
        byte[] members = SealFraming.Unframe(bytes, PlainHeaderSize + SealWriter.WordsSize(words));
        var ntt = new ulong[words];
        try
        {
            var r = new SealReader(members);
            if (!r.Bytes(32).SequenceEqual(seal.ParmsId(level)))
            {
                throw new SealFormatException("the secret key's parms_id is not the key level of these parameters");
            }
            if (r.U64() != (ulong)words)
            {
                throw new SealFormatException($"the secret key must hold {words} coefficients");
            }
            if (r.F64() != 1.0)
            {
                throw new SealFormatException("the secret key's scale must be 1.0");
            }
            ReadResidues(parameters, level, r.Words("secret key data", words), ntt);
            r.End("the secret key");
            return new SecretKey(parameters, ntt);
        }
        catch
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(ntt.AsSpan()));
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(members);
        }
    }

    /// <summary>A single-body ciphertext as a SEAL <c>Ciphertext</c> (coefficient form, its level's parms_id).</summary>
    /// <exception cref="SealExportException">Several bodies, a key-level ciphertext of a multi-prime chain, or t beyond SEAL's.</exception>
    public static byte[] SaveCiphertext(Ciphertext ciphertext, SealComprMode mode = SealComprMode.None)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        var p = ciphertext.Parameters;
        var seal = SealEncryptionParameters.FromBfv(p);
        if (ciphertext.BodyCount != 1)
        {
            throw new SealExportException(SealExportRefusal.MultipleBodies,
                $"the ciphertext has {ciphertext.BodyCount} bodies sharing one mask; a SEAL ciphertext has one");
        }
        if (p.KeyLevel > 1 && ciphertext.Level == p.KeyLevel)
        {
            throw new SealExportException(SealExportRefusal.KeyLevelCiphertext,
                $"the ciphertext is at the key level ({p.KeyLevel} primes); SEAL accepts ciphertexts at data levels only (switch to {p.KeyLevel - 1} or fewer primes first)");
        }
        return SavePolys(seal, ciphertext.Level, ntt: false, ciphertext.C0, ciphertext.C1, mode);
    }

    /// <summary>Reads a SEAL BFV <c>Ciphertext</c> of size 2 at a data level of <paramref name="parameters"/>.</summary>
    /// <exception cref="SealFormatException">Malformed, other parameters, a key-level, NTT-form, seeded or larger ciphertext.</exception>
    public static Ciphertext LoadCiphertext(BfvParameters parameters, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var (level, data) = LoadPolys(parameters, bytes, ntt: false, "ciphertext");
        int len = level * parameters.Degree;
        return new Ciphertext(parameters, level, data[..len], data[len..]);
    }

    private static SealEncryptionParameters Describe(BfvParameters parameters)
    {
        try
        {
            return SealEncryptionParameters.FromBfv(parameters);
        }
        catch (SealExportException e)
        {
            throw new ArgumentException(e.Message, nameof(parameters), e);
        }
    }

    private static byte[] SavePolys(SealEncryptionParameters seal, int level, bool ntt, ulong[] first, ulong[] second, SealComprMode mode)
    {
        int n = seal.Degree;
        long words = 2L * level * n;
        var members = new byte[PolyHeaderSize + SealWriter.WordsSize(words)];
        var w = new SealWriter(members);
        foreach (byte b in seal.ParmsId(level))
        {
            w.U8(b);
        }
        w.U8(ntt ? (byte)1 : (byte)0);
        w.U64(2);
        w.U64((ulong)n);
        w.U64((ulong)level);
        w.F64(1.0);
        w.U64(1);
        w.Words(first.AsSpan(0, level * n), second.AsSpan(0, level * n));
        return SealFraming.Frame(members, mode);
    }

    // Returns the level and the two polynomials' words (first, then second) after every check.
    private static (int Level, ulong[] Data) LoadPolys(BfvParameters parameters, ReadOnlySpan<byte> bytes, bool ntt, string what)
    {
        var seal = Describe(parameters);
        int n = parameters.Degree;
        int keyLevel = parameters.KeyLevel;
        byte[] members = SealFraming.Unframe(bytes, PolyHeaderSize + SealWriter.WordsSize(2L * keyLevel * n));
        var r = new SealReader(members);
        ReadOnlySpan<byte> parmsId = r.Bytes(32);
        int level = 0;
        // A key lives at the key level; a BFV ciphertext at a data level (below the key level unless the chain has one prime).
        int low = ntt ? keyLevel : 1;
        int high = ntt || keyLevel == 1 ? keyLevel : keyLevel - 1;
        for (int k = high; k >= low && level == 0; k--)
        {
            if (parmsId.SequenceEqual(seal.ParmsId(k)))
            {
                level = k;
            }
        }
        if (level == 0)
        {
            throw new SealFormatException($"the {what}'s parms_id names no {(ntt ? "key" : "data")} level of these parameters");
        }
        byte isNtt = r.U8();
        if (isNtt != (ntt ? 1 : 0))
        {
            throw new SealFormatException($"the {what} must {(ntt ? "" : "not ")}be in NTT form");
        }
        ulong size = r.U64();
        if (size != 2)
        {
            throw new SealFormatException($"the {what} must have 2 polynomials, has {size}");
        }
        if (r.U64() != (ulong)n || r.U64() != (ulong)level)
        {
            throw new SealFormatException($"the {what}'s degree or prime count does not match its parms_id");
        }
        if (r.F64() != 1.0 || r.U64() != 1)
        {
            throw new SealFormatException($"a BFV {what} has scale 1.0 and correction factor 1");
        }
        long words = 2L * level * n;
        ReadOnlySpan<byte> raw;
        try
        {
            raw = r.Words($"{what} data", words);
        }
        catch (SealFormatException) when (!ntt)
        {
            throw new SealFormatException($"the {what} data does not hold 2 full polynomials (SEAL's seeded ciphertexts are not read)");
        }
        r.End($"the {what}");
        var data = new ulong[words];
        ReadResidues(parameters, level, raw[..(int)(words * 4)], data.AsSpan(0, (int)(words / 2)));
        ReadResidues(parameters, level, raw[(int)(words * 4)..], data.AsSpan((int)(words / 2)));
        return (level, data);
    }

    private static void ReadResidues(BfvParameters parameters, int level, ReadOnlySpan<byte> raw, Span<ulong> destination)
    {
        int n = parameters.Degree;
        for (int i = 0; i < level; i++)
        {
            ulong p = parameters.Primes[i];
            for (int j = 0; j < n; j++)
            {
                ulong v = BinaryPrimitives.ReadUInt64LittleEndian(raw[(8 * (i * n + j))..]);
                if (v >= p)
                {
                    throw new SealFormatException($"a residue mod prime {i} is not reduced");
                }
                destination[i * n + j] = v;
            }
        }
    }
}
