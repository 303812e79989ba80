using System.Buffers.Binary;

namespace SecureFed.Protocol.Client;

// A 32-byte public key as a value, so a set can find repeats among hundreds of advertised keys without hex strings.
internal readonly record struct PublicKeyBytes(ulong A, ulong B, ulong C, ulong D)
{
    public PublicKeyBytes(ReadOnlySpan<byte> key)
        : this(BinaryPrimitives.ReadUInt64LittleEndian(key), BinaryPrimitives.ReadUInt64LittleEndian(key[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(key[16..]), BinaryPrimitives.ReadUInt64LittleEndian(key[24..]))
    {
    }
}
