using System.IO.Compression;
using ZstdSharp;

namespace SecureFed.Lattice.Seal;

/// <summary>
/// A top-level SEAL object: header, then the members stored as the header's compression mode says. Reading is
/// bounded: the members may never exceed the caller's maximum (the exact size the expected object can have), so
/// neither a length field nor a compression bomb can make it allocate more.
/// </summary>
internal static class SealFraming
{
    public static byte[] Frame(ReadOnlySpan<byte> members, SealComprMode mode)
    {
        byte[] stored = mode switch
        {
            SealComprMode.None => members.ToArray(),
            SealComprMode.Zlib => Deflate(members),
            SealComprMode.Zstd => Zstd(members),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown SEAL compression mode"),
        };
        var output = new byte[SealHeader.ByteCount + stored.Length];
        new SealHeader(SealHeader.Major, SealHeader.Minor, mode, (ulong)output.Length).Write(output);
        stored.CopyTo(output.AsSpan(SealHeader.ByteCount));
        return output;
    }

    /// <summary>The members of the object <paramref name="bytes"/> (exactly one object), decompressed.</summary>
    /// <exception cref="SealFormatException">Bad header, size not the input's length, damaged stream, or more than <paramref name="maxMembers"/> bytes.</exception>
    public static byte[] Unframe(ReadOnlySpan<byte> bytes, int maxMembers)
    {
        var header = SealHeader.Read(bytes);
        if (header.Size != (ulong)bytes.Length)
        {
            throw new SealFormatException($"SEAL header says {header.Size} bytes, the input has {bytes.Length}");
        }
        ReadOnlySpan<byte> stored = bytes[SealHeader.ByteCount..];
        switch (header.ComprMode)
        {
            case SealComprMode.None:
                if (stored.Length > maxMembers)
                {
                    throw new SealFormatException($"SEAL object members exceed {maxMembers} bytes");
                }
                return stored.ToArray();
            case SealComprMode.Zlib:
                return Inflate(stored, maxMembers);
            default:
                return Unzstd(stored, maxMembers);
        }
    }

    private static byte[] Deflate(ReadOnlySpan<byte> members)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(members);
        }
        return output.ToArray();
    }

    private static byte[] Zstd(ReadOnlySpan<byte> members)
    {
        using var compressor = new Compressor();
        return compressor.Wrap(members).ToArray();
    }

    private static unsafe byte[] Inflate(ReadOnlySpan<byte> stored, int maxMembers)
    {
        if (stored.IsEmpty)
        {
            // An empty span pins to a null pointer, which UnmanagedMemoryStream refuses with ArgumentNullException.
            throw new SealFormatException("empty zlib stream in a SEAL object");
        }
        var buffer = new byte[maxMembers + 1];
        int total = 0;
        try
        {
            fixed (byte* p = stored)
            {
                using var input = new UnmanagedMemoryStream(p, stored.Length);
                using var z = new ZLibStream(input, CompressionMode.Decompress);
                int read;
                while (total < buffer.Length && (read = z.Read(buffer, total, buffer.Length - total)) > 0)
                {
                    total += read;
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // zlib's own errors surface as ZLibException, an IOException; the input stream itself cannot fail.
            throw new SealFormatException("damaged zlib stream in a SEAL object", e);
        }
        if (total > maxMembers)
        {
            throw new SealFormatException($"SEAL object members exceed {maxMembers} bytes once inflated");
        }
        return buffer.AsSpan(0, total).ToArray();
    }

    private static byte[] Unzstd(ReadOnlySpan<byte> stored, int maxMembers)
    {
        var buffer = new byte[maxMembers];
        int total;
        try
        {
            using var decompressor = new Decompressor();
            total = decompressor.Unwrap(stored, buffer);
        }
        catch (ZstdException e)
        {
            throw new SealFormatException("damaged or oversized Zstandard frame in a SEAL object", e);
        }
        return buffer.AsSpan(0, total).ToArray();
    }
}
