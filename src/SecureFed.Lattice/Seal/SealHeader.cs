using System.Buffers.Binary;

namespace SecureFed.Lattice.Seal;

/// <summary>
/// SEAL 4.1's <c>Serialization::SEALHeader</c>, 16 bytes little-endian in front of every serialized object:
/// u16 magic 0xA15E, u8 header size 16, u8 version major 4, u8 version minor 1, u8 compression mode, u16 reserved 0,
/// u64 size of the whole object (header included, members as stored, i.e. compressed).
/// </summary>
/// <param name="VersionMajor">4 (the only major version read).</param>
/// <param name="VersionMinor">1 when written here; any value is read, as SEAL does.</param>
/// <param name="ComprMode">How the members are stored.</param>
/// <param name="Size">Total bytes of the object, this header included.</param>
public readonly record struct SealHeader(byte VersionMajor, byte VersionMinor, SealComprMode ComprMode, ulong Size)
{
    /// <summary>The magic number (bytes 5E A1 on the wire).</summary>
    public const ushort Magic = 0xA15E;

    /// <summary>Bytes of the header.</summary>
    public const int ByteCount = 16;

    /// <summary>The major version written and read.</summary>
    public const byte Major = 4;

    /// <summary>The minor version written.</summary>
    public const byte Minor = 1;

    /// <summary>Reads and checks the header at the start of <paramref name="bytes"/>.</summary>
    /// <exception cref="SealFormatException">Too short, wrong magic, header size, major version, mode or reserved bytes.</exception>
    public static SealHeader Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < ByteCount)
        {
            throw new SealFormatException($"a SEAL header needs {ByteCount} bytes, got {bytes.Length}");
        }
        if (BinaryPrimitives.ReadUInt16LittleEndian(bytes) != Magic)
        {
            throw new SealFormatException("not a SEAL object (magic is not 0xA15E)");
        }
        if (bytes[2] != ByteCount)
        {
            throw new SealFormatException($"SEAL header size must be {ByteCount}, got {bytes[2]}");
        }
        if (bytes[3] != Major)
        {
            throw new SealFormatException($"SEAL version {bytes[3]}.{bytes[4]} is not read (only {Major}.x)");
        }
        if (bytes[5] > (byte)SealComprMode.Zstd)
        {
            throw new SealFormatException($"unknown SEAL compression mode {bytes[5]}");
        }
        if (BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]) != 0)
        {
            throw new SealFormatException("SEAL header reserved bytes must be zero");
        }
        ulong size = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        if (size < ByteCount)
        {
            throw new SealFormatException($"SEAL object size {size} is smaller than its header");
        }
        return new SealHeader(bytes[3], bytes[4], (SealComprMode)bytes[5], size);
    }

    /// <summary>Writes the header into the first 16 bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, ByteCount);
        BinaryPrimitives.WriteUInt16LittleEndian(destination, Magic);
        destination[2] = ByteCount;
        destination[3] = VersionMajor;
        destination[4] = VersionMinor;
        destination[5] = (byte)ComprMode;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], 0);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], Size);
    }
}
