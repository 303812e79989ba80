using System.Runtime.InteropServices;

namespace SecureFed.Aggregator.Storage;

/// <summary>Little-endian word arrays as stored blobs (sums: 8 bytes per element, concatenated per vector; ids: 4 bytes).</summary>
internal static class WordCodec
{
    static WordCodec()
    {
        // Blobs are the in-memory layout; all supported .NET targets are little-endian, and a big-endian one must not
        // silently write a different format.
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("the aggregator's storage format needs a little-endian machine");
        }
    }

    public static byte[] Sums(IEnumerable<ReadOnlyMemory<ulong>> vectors)
    {
        var list = vectors.ToList();
        var blob = new byte[list.Sum(v => (long)v.Length * 8)];
        int offset = 0;
        foreach (ReadOnlyMemory<ulong> v in list)
        {
            ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(v.Span);
            bytes.CopyTo(blob.AsSpan(offset));
            offset += bytes.Length;
        }
        return blob;
    }

    /// <exception cref="InvalidDataException">The blob does not have the configured lengths.</exception>
    public static ulong[][] ReadSums(byte[] blob, IReadOnlyList<int> lengths)
    {
        if (blob.LongLength != lengths.Sum(l => (long)l * 8))
        {
            throw new InvalidDataException($"stored sums are {blob.Length} bytes, the configuration needs {lengths.Sum(l => (long)l * 8)}");
        }
        var result = new ulong[lengths.Count][];
        int offset = 0;
        for (int j = 0; j < lengths.Count; j++)
        {
            result[j] = MemoryMarshal.Cast<byte, ulong>(blob.AsSpan(offset, lengths[j] * 8)).ToArray();
            offset += lengths[j] * 8;
        }
        return result;
    }

    public static byte[] Ids(IEnumerable<uint> ids) => MemoryMarshal.AsBytes(ids.ToArray().AsSpan()).ToArray();

    public static uint[] ReadIds(byte[]? blob) => blob is null ? [] : MemoryMarshal.Cast<byte, uint>(blob).ToArray();
}
