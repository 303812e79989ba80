using System.Buffers;
using MessagePack;
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
    public static DecodedKeyDirectory? TryRead(ReadOnlyMemory<byte> bytes, int maxBytes)
    {
        if (bytes.Length > maxBytes)
        {
            return null;
        }
        DirectoryEntry[]? entries = null;
        try
        {
            var reader = new MessagePackReader(bytes);
            if (reader.NextMessagePackType != MessagePackType.Array || reader.ReadArrayHeader() != 2 ||
                reader.NextMessagePackType != MessagePackType.Integer || reader.ReadInt32() != KeyDirectoryCode ||
                reader.NextMessagePackType != MessagePackType.Array || reader.ReadArrayHeader() != 2 ||
                reader.NextMessagePackType != MessagePackType.Integer)
            {
                return null;
            }
            int version = reader.ReadInt32();
            if (reader.NextMessagePackType != MessagePackType.Array)
            {
                return null;
            }
            int count = reader.ReadArrayHeader();
            if (count > (bytes.Length - (int)reader.Consumed) / MinimumEntryBytes)
            {
                return null; // more entries claimed than the bytes can hold: no pooled array sized by the claim
            }
            entries = ArrayPool<DirectoryEntry>.Shared.Rent(count);
            for (int i = 0; i < count; i++)
            {
                if (reader.NextMessagePackType != MessagePackType.Array || reader.ReadArrayHeader() != EnvelopeFields ||
                    reader.NextMessagePackType != MessagePackType.Integer)
                {
                    return null;
                }
                int entryVersion = reader.ReadInt32();
                if (reader.NextMessagePackType != MessagePackType.Integer)
                {
                    return null;
                }
                uint sender = reader.ReadUInt32();
                if (reader.NextMessagePackType != MessagePackType.Integer)
                {
                    return null;
                }
                var stage = (ProtocolStage)reader.ReadByte();
                if (!TryReadBin(ref reader, bytes, out ReadOnlyMemory<byte> body) || !TryReadBin(ref reader, bytes, out ReadOnlyMemory<byte> signature))
                {
                    return null;
                }
                entries[i] = new DirectoryEntry(true, entryVersion, sender, stage, body, signature);
            }
            if (!reader.End)
            {
                return null;
            }
            var read = new DecodedKeyDirectory(entries, count, version);
            entries = null;
            return read;
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or OverflowException or InvalidOperationException or ArgumentException)
        {
            return null; // the general decoder turns the same bytes into its typed refusal
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

    // The bin's bytes as a slice of the message (one contiguous buffer, so the reader's position is an offset into it).
    private static bool TryReadBin(ref MessagePackReader reader, ReadOnlyMemory<byte> bytes, out ReadOnlyMemory<byte> value)
    {
        value = default;
        if (reader.NextMessagePackType != MessagePackType.Binary)
        {
            return false;
        }
        ReadOnlySequence<byte>? bin = reader.ReadBytes();
        if (bin is not { } b)
        {
            return false;
        }
        int end = (int)reader.Consumed;
        value = bytes.Slice(end - (int)b.Length, (int)b.Length);
        return true;
    }
}
