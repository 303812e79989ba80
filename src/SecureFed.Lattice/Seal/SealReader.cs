using System.Buffers.Binary;

namespace SecureFed.Lattice.Seal;

/// <summary>Reads SEAL members (little-endian fields, nested uncompressed objects); every read checks the length first.</summary>
internal ref struct SealReader(ReadOnlySpan<byte> members)
{
    private readonly ReadOnlySpan<byte> _data = members;
    private int _position;

    public readonly bool AtEnd => _position == _data.Length;

    public byte U8() => Take(1)[0];

    public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public double F64() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    public ReadOnlySpan<byte> Bytes(int count) => Take(count);

    /// <summary>A nested object's members: its header (uncompressed, as SEAL writes nested objects) then its body.</summary>
    public ReadOnlySpan<byte> Nested(string what)
    {
        if (_data.Length - _position < SealHeader.ByteCount)
        {
            throw new SealFormatException($"truncated SEAL object: {what} is missing");
        }
        var header = SealHeader.Read(_data[_position..]);
        if (header.ComprMode != SealComprMode.None)
        {
            throw new SealFormatException($"nested {what} must be stored uncompressed");
        }
        if (header.Size > (ulong)(_data.Length - _position))
        {
            throw new SealFormatException($"nested {what} claims {header.Size} bytes, only {_data.Length - _position} remain");
        }
        var whole = Take((int)header.Size);
        return whole[SealHeader.ByteCount..];
    }

    /// <summary>A nested DynArray&lt;u64&gt; of exactly <paramref name="count"/> words (checked before anything is copied).</summary>
    public ReadOnlySpan<byte> Words(string what, long count)
    {
        var inner = new SealReader(Nested(what));
        ulong n = inner.U64();
        if (n != (ulong)count)
        {
            throw new SealFormatException($"{what} holds {n} words, {count} expected");
        }
        var words = inner.Bytes(checked((int)(count * 8)));
        inner.End(what);
        return words;
    }

    public readonly void End(string what)
    {
        if (!AtEnd)
        {
            throw new SealFormatException($"{_data.Length - _position} unexpected bytes after {what}");
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || _data.Length - _position < count)
        {
            throw new SealFormatException("truncated SEAL object");
        }
        var s = _data.Slice(_position, count);
        _position += count;
        return s;
    }
}
