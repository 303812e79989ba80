using System.Buffers;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Client;

// A KeyDirectory read straight from its bytes, without an object and two arrays per entry (the complete graph's
// directory holds every advertisement). Only the shape the server writes is read this way (union [0, [version,
// bin advertised, bin root, [[version, sender, stage, body, signature], ...], bin proof]] with nothing missing, extra or
// nil); anything else is left to the general decoder, so both paths accept and refuse exactly the same bytes.
// Never encoded; the entries live in a pooled array that Dispose returns.
internal sealed class DecodedKeyDirectory : ServerMessage, IDisposable
{
    private const int KeyDirectoryCode = 0;
    private const int EnvelopeFields = 5;

    // An entry's smallest encoding: array header, three one-byte integers and two bin8 headers.
    private const int MinimumEntryBytes = 8;
    private DirectoryEntry[]? _entries;

    private DecodedKeyDirectory(DirectoryEntry[] entries, int count, int version, ReadOnlyMemory<byte> advertised, ReadOnlyMemory<byte> root,
        ReadOnlyMemory<byte> proof)
    {
        _entries = entries;
        Count = count;
        Version = version;
        Advertised = advertised;
        Root = root;
        Proof = proof;
    }

    public int Count { get; }

    public ReadOnlyMemory<byte> Advertised { get; }

    public ReadOnlyMemory<byte> Root { get; }

    public ReadOnlyMemory<byte> Proof { get; }

    public ReadOnlySpan<DirectoryEntry> Entries => _entries.AsSpan(0, Count);

    // The same entries as a segment of the pooled array, for work on several threads (valid until Dispose).
    public ArraySegment<DirectoryEntry> EntryArray => new(_entries ?? throw new ObjectDisposedException(nameof(DecodedKeyDirectory)), 0, Count);

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
                !reader.TryArrayHeader(out int fields) || fields != 5 || !reader.TryUInt(out uint version) || version > int.MaxValue ||
                !reader.TryBin(out int advertisedAt, out int advertisedLength) || !reader.TryBin(out int rootAt, out int rootLength) ||
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
            if (!reader.TryBin(out int proofAt, out int proofLength) || reader.Position != bytes.Length)
            {
                return null;
            }
            var read = new DecodedKeyDirectory(entries, count, (int)version, bytes.Slice(advertisedAt, advertisedLength), bytes.Slice(rootAt, rootLength),
                bytes.Slice(proofAt, proofLength));
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
}
