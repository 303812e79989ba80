using System.Buffers.Binary;

namespace SecureFed.Protocol.Client;

// The MessagePack forms MessagePack-CSharp writes for the fields of the server messages a client reads in place
// (DecodedKeyDirectory, IdListMessages): array headers (fixarray, array16, array32),
// non-negative integers (positive fixint, uint8, uint16, uint32) and bins (bin8, bin16, bin32). Each Try leaves the
// cursor after the value, or returns false (and the whole read gives up) on any other form or on running out.
internal ref struct CanonicalReader(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;

    public int Position { get; private set; }

    public bool TryArrayHeader(out int count)
    {
        count = 0;
        if (Position >= _bytes.Length)
        {
            return false;
        }
        byte b = _bytes[Position];
        if (b is >= 0x90 and <= 0x9f)
        {
            count = b & 0x0f;
            Position++;
            return true;
        }
        return b switch
        {
            0xdc => TryBigEndian(2, out count),
            0xdd => TryBigEndian(4, out count),
            _ => false,
        };
    }

    public bool TryUInt(out uint value)
    {
        value = 0;
        if (Position >= _bytes.Length)
        {
            return false;
        }
        byte b = _bytes[Position];
        if (b <= 0x7f)
        {
            value = b;
            Position++;
            return true;
        }
        int length = b switch { 0xcc => 1, 0xcd => 2, 0xce => 4, _ => 0 };
        if (length == 0 || !TryBigEndian(length, out int v, allowAnyUInt32: true))
        {
            return false;
        }
        value = (uint)v;
        return true;
    }

    // An array of non-negative integers below 2^32 in the forms above (not nil): what MessagePack writes for a uint[].
    // Each element takes at least a byte, so a count the remaining bytes cannot hold is refused before allocating.
    public bool TryUIntArray(out uint[] values)
    {
        values = [];
        if (!TryArrayHeader(out int count) || count > _bytes.Length - Position)
        {
            return false;
        }
        var read = new uint[count];
        for (int i = 0; i < read.Length; i++)
        {
            if (!TryUInt(out read[i]))
            {
                return false;
            }
        }
        values = read;
        return true;
    }

    public bool TryBin(out int at, out int length)
    {
        at = 0;
        length = 0;
        if (Position >= _bytes.Length)
        {
            return false;
        }
        int size = _bytes[Position] switch { 0xc4 => 1, 0xc5 => 2, 0xc6 => 4, _ => 0 };
        if (size == 0 || !TryBigEndian(size, out length) || length > _bytes.Length - Position)
        {
            return false;
        }
        at = Position;
        Position += length;
        return true;
    }

    // The big-endian unsigned integer of `size` bytes after the current (format) byte; false past the end or, unless
    // allowAnyUInt32, above int.MaxValue (no count or length that large fits the bytes).
    private bool TryBigEndian(int size, out int value, bool allowAnyUInt32 = false)
    {
        value = 0;
        if (_bytes.Length - Position - 1 < size)
        {
            return false;
        }
        ReadOnlySpan<byte> s = _bytes.Slice(Position + 1, size);
        uint v = size switch { 1 => s[0], 2 => BinaryPrimitives.ReadUInt16BigEndian(s), _ => BinaryPrimitives.ReadUInt32BigEndian(s) };
        if (!allowAnyUInt32 && v > int.MaxValue)
        {
            return false;
        }
        value = (int)v;
        Position += 1 + size;
        return true;
    }
}
