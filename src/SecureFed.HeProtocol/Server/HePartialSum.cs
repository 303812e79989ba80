using System.Runtime.InteropServices;
using SecureFed.Lattice.Bfv;

namespace SecureFed.HeProtocol.Server;

/// <summary>
/// A shard's partial sum of uploads as the kernel's <see cref="Protocol.Hosting.ShardResult.Partial"/> carries it:
/// one vector holding the byte count, then the ciphertext vector's serialized bytes (CiphertextCodec, the uploads'
/// own layout, so the root parses it with every check an upload gets) packed 8 to an element, little-endian, zero-padded.
/// A shard without uploads sends an empty partial (no vector).
/// </summary>
internal static class HePartialSum
{
    public static ulong[][] Write(IReadOnlyList<Ciphertext>? sum)
    {
        if (sum is null)
        {
            return [];
        }
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("partial sums are packed little-endian");
        }
        byte[] bytes = CiphertextCodec.Serialize(sum);
        var packed = new ulong[1 + (bytes.Length + 7) / 8];
        packed[0] = (ulong)bytes.Length;
        bytes.CopyTo(MemoryMarshal.AsBytes(packed.AsSpan(1)));
        return [packed];
    }

    /// <summary>The serialized ciphertext vector, empty for a shard without uploads.</summary>
    /// <exception cref="InvalidOperationException">The partial is not one packed vector.</exception>
    public static byte[] Read(ulong[][] partial)
    {
        if (partial.Length == 0)
        {
            return [];
        }
        if (partial.Length != 1 || partial[0].Length == 0 || partial[0][0] > (ulong)(partial[0].Length - 1) * 8 || partial[0][0] + 8 <= (ulong)(partial[0].Length - 1) * 8)
        {
            throw new InvalidOperationException("an HE partial sum must be one vector: its byte count, then the bytes packed 8 to an element");
        }
        return MemoryMarshal.AsBytes(partial[0].AsSpan(1))[..(int)partial[0][0]].ToArray();
    }
}
