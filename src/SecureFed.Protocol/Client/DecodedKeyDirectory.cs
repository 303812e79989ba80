using System.Buffers;
using System.Buffers.Binary;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Client;

// A KeyDirectory read straight from its bytes by MessagePack's own reader, without an object and two arrays per entry:
// a client of a 10,000-client round reads 10,000 entries and relies on about 40 of them. Only the shape the server
// writes is read this way (union [0, [version, [[version, sender, stage, body, signature], ...]]] with nothing missing,
// extra or nil); anything else is left to the general decoder, so both paths accept and refuse exactly the same bytes.
// Never encoded; the entries live in a pooled array that Dispose returns.
internal sealed class DecodedKeyDirectory : ServerMessage, IDisposable
{
    private const int KeyDirectoryCode = 0;
    private const int EnvelopeFields = 5;

    // An entry's smallest encoding: array header, three one-byte integers and two bin8 headers.
    private const int MinimumEntryBytes = 8;
    private DirectoryEntry[]? _entries;

    private DecodedKeyDirectory(DirectoryEntry[] entries, int count, int version)
    {
        _entries = entries;
        Count = count;
        Version = version;
    }

    public int Count { get; }

    public ReadOnlySpan<DirectoryEntry> Entries => _entries.AsSpan(0, Count);

    // Null when the bytes are not a key directory of the canonical shape (the caller then decodes them generally).
    // Read with a span cursor over the few MessagePack forms the server's encoder writes there (MessagePack's own
    // reader cost a third of this read per entry at 10,000 entries): any other form, even one MessagePack would read
    // as the same value, is left to the general decoder, which then decides.
    public static DecodedKeyDirectory? TryRead(ReadOnlyMemory<byte> bytes, int maxBytes)
    {
        if (bytes.Length > maxBytes)
        {
            return null;
        }
        DirectoryEntry[]? entries = null;
        try
        {
            var reader = new CanonicalReader(bytes.Span);
            if (!reader.TryArrayHeader(out int outer) || outer != 2 || !reader.TryUInt(out uint code) || code != KeyDirectoryCode ||
                !reader.TryArrayHeader(out int fields) || fields != 2 || !reader.TryUInt(out uint version) || version > int.MaxValue ||
                !reader.TryArrayHeader(out int count))
            {
                return null;
            }
            if (count > (bytes.Length - reader.Position) / MinimumEntryBytes)
            {
                return null; // more entries claimed than the bytes can hold: no pooled array sized by the claim
            }
            entries = ArrayPool<DirectoryEntry>.Shared.Rent(count);
            for (int i = 0; i < count; i++)
            {
                if (!reader.TryArrayHeader(out int envelopeFields) || envelopeFields != EnvelopeFields || !reader.TryUInt(out uint entryVersion) ||
                    entryVersion > int.MaxValue || !reader.TryUInt(out uint sender) || !reader.TryUInt(out uint stage) || stage > byte.MaxValue ||
                    !reader.TryBin(out int bodyAt, out int bodyLength) || !reader.TryBin(out int signatureAt, out int signatureLength))
                {
                    return null;
                }
                entries[i] = new DirectoryEntry(true, (int)entryVersion, sender, (ProtocolStage)stage, bytes.Slice(bodyAt, bodyLength),
                    bytes.Slice(signatureAt, signatureLength));
            }
            if (reader.Position != bytes.Length)
            {
                return null;
            }
            var read = new DecodedKeyDirectory(entries, count, (int)version);
            entries = null;
            return read;
        }
        finally
        {
            if (entries is not null)
            {
                ArrayPool<DirectoryEntry>.Shared.Return(entries, clearArray: true);
            }
        }
    }

    public void Dispose()
    {
        if (_entries is not null)
        {
            ArrayPool<DirectoryEntry>.Shared.Return(_entries, clearArray: true);
            _entries = null;
        }
    }

    // The MessagePack forms MessagePack-CSharp writes for these fields: array headers (fixarray, array16, array32),
    // non-negative integers (positive fixint, uint8, uint16, uint32) and bins (bin8, bin16, bin32). Each Try leaves the
    // cursor after the value, or returns false (and the whole read gives up) on any other form or on running out.
    private ref struct CanonicalReader(ReadOnlySpan<byte> bytes)
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
}
