using System.Buffers.Binary;
using System.Numerics;
using SecureFed.Lattice.Ring;

namespace SecureFed.Lattice.Bfv;

/// <summary>
/// The byte layout of a vector of ciphertexts (protocol-spec/he.md, "Ciphertext vector"): a 24-byte header
/// ("SFHE", version 1, kind, log2 N, level, 8-byte parameter id, u32 block count, u8 bodies, 3 zero bytes)
/// followed by the blocks, each its bodies then c1 (kind 1) or c0 then c1's 32-byte seed (kind 2), every
/// component stored prime by prime with
/// coefficients bit-packed to the prime's bit length. Parsing checks every field, the exact length and that every
/// coefficient is reduced.
/// </summary>
public static class CiphertextCodec
{
    /// <summary>Bytes before the first block.</summary>
    public const int HeaderSize = 24;

    /// <summary>Format version written and accepted.</summary>
    public const byte Version = 1;

    private const byte KindPublic = 1;
    private const byte KindSeeded = 2;
    private static ReadOnlySpan<byte> Magic => "SFHE"u8;

    /// <summary>Size in bytes of <paramref name="count"/> ciphertexts at <paramref name="level"/>.</summary>
    public static long SerializedSize(BfvParameters parameters, int level, int count, bool seeded, int bodies = 1)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        long component = ComponentSize(parameters, level);
        return HeaderSize + (long)count * (bodies * component + (seeded ? SeedExpander.SeedSize : component));
    }

    /// <summary>Serializes one ciphertext.</summary>
    public static byte[] Serialize(Ciphertext ciphertext) => Serialize([ciphertext]);

    /// <summary>Serializes ciphertexts that share parameters, level and kind.</summary>
    /// <exception cref="ArgumentException">Empty list or mixed parameters, levels or kinds.</exception>
    public static byte[] Serialize(IReadOnlyList<Ciphertext> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (blocks.Count == 0)
        {
            throw new ArgumentException("no ciphertexts", nameof(blocks));
        }
        var first = blocks[0];
        var p = first.Parameters;
        bool seeded = first.IsSeeded;
        int level = first.Level;
        int bodies = first.BodyCount;
        foreach (var c in blocks)
        {
            if (!c.Parameters.Id.Span.SequenceEqual(p.Id.Span) || c.Level != level || c.IsSeeded != seeded || c.BodyCount != bodies)
            {
                throw new ArgumentException("ciphertexts differ in parameters, level or kind", nameof(blocks));
            }
        }
        var output = new byte[SerializedSize(p, level, blocks.Count, seeded, bodies)];
        Span<byte> o = output;
        WriteHeader(p, level, blocks.Count, seeded, bodies, o);
        int pos = HeaderSize;
        foreach (var c in blocks)
        {
            foreach (ulong[] body in c.Bodies)
            {
                pos += WriteComponent(p, level, body, o[pos..]);
            }
            if (seeded)
            {
                c.Seed!.CopyTo(o[pos..]);
                pos += SeedExpander.SeedSize;
            }
            else
            {
                pos += WriteComponent(p, level, c.C1, o[pos..]);
            }
        }
        return output;
    }

    /// <summary>Writes the 24-byte header (every byte, reserved ones included).</summary>
    internal static void WriteHeader(BfvParameters p, int level, int count, bool seeded, int bodies, Span<byte> o)
    {
        Magic.CopyTo(o);
        o[4] = Version;
        o[5] = seeded ? KindSeeded : KindPublic;
        o[6] = (byte)BitOperations.Log2((uint)p.Degree);
        o[7] = (byte)level;
        p.Id.Span.CopyTo(o.Slice(8, 8));
        BinaryPrimitives.WriteUInt32LittleEndian(o.Slice(16, 4), (uint)count);
        o[20] = (byte)bodies;
        o.Slice(21, 3).Clear();
    }

    /// <summary>Writes one public-key block (its bodies, then c1, each at <paramref name="level"/>); returns the bytes written.</summary>
    internal static int WriteBlock(BfvParameters p, int level, ulong[][] bodies, ulong[] c1, Span<byte> destination)
    {
        int pos = 0;
        foreach (ulong[] body in bodies)
        {
            pos += WriteComponent(p, level, body, destination[pos..]);
        }
        return pos + WriteComponent(p, level, c1, destination[pos..]);
    }

    /// <summary>Parses a ciphertext vector made under <paramref name="parameters"/>.</summary>
    /// <exception cref="HeFormatException">Any field, the length or a coefficient is invalid.</exception>
    public static IReadOnlyList<Ciphertext> Deserialize(ReadOnlySpan<byte> data, BfvParameters parameters)
    {
        var (level, seeded, bodies, count) = ReadHeader(data, parameters);
        if (SerializedSize(parameters, level, count, seeded, bodies) != data.Length)
        {
            throw new HeFormatException($"length {data.Length} does not match {count} ciphertexts");
        }
        int n = parameters.Degree;
        var result = new List<Ciphertext>(count);
        int pos = HeaderSize;
        for (int b = 0; b < count; b++)
        {
            var c0 = new ulong[bodies][];
            for (int k = 0; k < bodies; k++)
            {
                c0[k] = new ulong[level * n];
                pos += ReadComponent(parameters, level, data[pos..], c0[k]);
            }
            ulong[] c1;
            byte[]? seed = null;
            if (seeded)
            {
                seed = data.Slice(pos, SeedExpander.SeedSize).ToArray();
                pos += SeedExpander.SeedSize;
                c1 = new ulong[level * n];
                SeedExpander.ExpandNtt(seed, parameters.Ring, level, c1);
                parameters.Ring.InverseNtt(c1, level);
            }
            else
            {
                c1 = new ulong[level * n];
                pos += ReadComponent(parameters, level, data[pos..], c1);
            }
            result.Add(new Ciphertext(parameters, level, c0, c1, seed));
        }
        return result;
    }

    /// <summary>Validates the 24-byte header (not the total length) and returns its layout fields.</summary>
    internal static (int Level, bool Seeded, int Bodies, int Count) ReadHeader(ReadOnlySpan<byte> data, BfvParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (data.Length < HeaderSize)
        {
            throw new HeFormatException($"ciphertext vector shorter than its {HeaderSize}-byte header");
        }
        if (!data[..4].SequenceEqual(Magic))
        {
            throw new HeFormatException("not a SecureFed ciphertext vector (bad magic)");
        }
        if (data[4] != Version)
        {
            throw new HeFormatException($"unsupported ciphertext format version {data[4]}");
        }
        byte kind = data[5];
        if (kind != KindPublic && kind != KindSeeded)
        {
            throw new HeFormatException($"unknown ciphertext kind {kind}");
        }
        if (data[6] != BitOperations.Log2((uint)parameters.Degree))
        {
            throw new HeFormatException($"ring degree 2^{data[6]} does not match the parameters");
        }
        int level = data[7];
        if (level < 1 || level > parameters.KeyLevel)
        {
            throw new HeFormatException($"level {level} outside [1, {parameters.KeyLevel}]");
        }
        bool seeded = kind == KindSeeded;
        if (seeded && level != parameters.KeyLevel)
        {
            throw new HeFormatException("a seeded ciphertext must be at the key level");
        }
        if (!data.Slice(8, 8).SequenceEqual(parameters.Id.Span))
        {
            throw new HeFormatException("parameter id does not match");
        }
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(16, 4));
        int bodies = data[20];
        if (bodies < 1 || (seeded && bodies != 1) || data[21] != 0 || data[22] != 0 || data[23] != 0)
        {
            throw new HeFormatException($"invalid body count {bodies} or non-zero reserved bytes");
        }
        if (count == 0 || count > int.MaxValue / 2)
        {
            throw new HeFormatException($"invalid block count {count}");
        }
        return (level, seeded, bodies, (int)count);
    }

    /// <summary>Bytes of one packed component (all primes of the level).</summary>
    internal static long ComponentBytes(BfvParameters p, int level) => ComponentSize(p, level);

    /// <summary>
    /// Parses a mask opening (a kind-1 header followed by every block's c1 only) and adds each block's c1 into
    /// <paramref name="sums"/> (allocated on the first call), one row at a time through a pooled buffer, so a
    /// decryptor summing many clients allocates nothing per client. Returns false, adding nothing, when the
    /// opening is well formed but not of the expected level, body count or block count.
    /// </summary>
    /// <exception cref="HeFormatException">The opening is malformed (a row may have been added: discard the sums).</exception>
    internal static bool AddMasks(ReadOnlySpan<byte> data, BfvParameters parameters, int expectedLevel, int expectedBodies, ref ulong[][]? sums)
    {
        var (level, seeded, bodies, count) = ReadHeader(data, parameters);
        long component = ComponentSize(parameters, level);
        if (seeded || HeaderSize + count * component != data.Length)
        {
            throw new HeFormatException($"mask opening length {data.Length} does not match {count} masks");
        }
        if (level != expectedLevel || bodies != expectedBodies || (sums is not null && sums.Length != count))
        {
            return false;
        }
        int n = parameters.Degree;
        if (sums is null)
        {
            sums = new ulong[count][];
            for (int b = 0; b < count; b++)
            {
                sums[b] = new ulong[level * n];
            }
        }
        ulong[] row = System.Buffers.ArrayPool<ulong>.Shared.Rent(n);
        try
        {
            int pos = HeaderSize;
            for (int b = 0; b < count; b++)
            {
                for (int i = 0; i < level; i++)
                {
                    Modulus m = parameters.Ring.Moduli[i];
                    int size = BitPacking.PackedSize(n, m.BitCount);
                    BitPacking.Unpack(data.Slice(pos, size), m.BitCount, m.Value, row.AsSpan(0, n));
                    PolyArith.AddInPlace(sums[b].AsSpan(i * n, n), row.AsSpan(0, n), m.Value);
                    pos += size;
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<ulong>.Shared.Return(row);
        }
        return true;
    }

    private static long ComponentSize(BfvParameters p, int level)
    {
        long size = 0;
        for (int i = 0; i < level; i++)
        {
            size += BitPacking.PackedSize(p.Degree, p.Ring.Moduli[i].BitCount);
        }
        return size;
    }

    private static int WriteComponent(BfvParameters p, int level, ReadOnlySpan<ulong> poly, Span<byte> destination)
    {
        int n = p.Degree;
        int pos = 0;
        for (int i = 0; i < level; i++)
        {
            int width = p.Ring.Moduli[i].BitCount;
            int size = BitPacking.PackedSize(n, width);
            BitPacking.Pack(poly.Slice(i * n, n), width, destination.Slice(pos, size));
            pos += size;
        }
        return pos;
    }

    private static int ReadComponent(BfvParameters p, int level, ReadOnlySpan<byte> source, ulong[] poly)
    {
        int n = p.Degree;
        int pos = 0;
        for (int i = 0; i < level; i++)
        {
            Modulus m = p.Ring.Moduli[i];
            int size = BitPacking.PackedSize(n, m.BitCount);
            BitPacking.Unpack(source.Slice(pos, size), m.BitCount, m.Value, poly.AsSpan(i * n, n));
            pos += size;
        }
        return pos;
    }
}
