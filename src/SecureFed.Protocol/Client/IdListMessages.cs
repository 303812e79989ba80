using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Client;

// The SurvivorSet (R2) and the UnmaskingRequest (R3) read straight from their bytes: the survivor set was a list as long
// as the roster (9,000 survivors of a 10,000-client round), and MessagePack's general reader cost a client more than the
// rest of that stage; it is now a bitmap, still read here so both messages share one canonical reader. Only the shape the server writes is read this way (union [code, [version, fields...]] with
// every field present, none nil, integers and ids in the unsigned forms, nothing after it); anything else is left to
// the general decoder, so both accept and refuse exactly the same bytes and give the same message.
internal static class IdListMessages
{
    private const int SurvivorSetCode = 2;
    private const int UnmaskingRequestCode = 3;

    // Null when the bytes are not a SurvivorSet of the canonical shape (the caller then decodes them generally).
    public static SurvivorSet? TryReadSurvivorSet(ReadOnlyMemory<byte> bytes, int maxBytes)
    {
        var reader = new CanonicalReader(bytes.Span);
        if (bytes.Length > maxBytes || !TryHeader(ref reader, SurvivorSetCode, 2, out int version) ||
            !reader.TryBin(out int bitmapAt, out int bitmapLength) || reader.Position != bytes.Length)
        {
            return null;
        }
        return new SurvivorSet { Version = version, Survivors = bytes.Slice(bitmapAt, bitmapLength).ToArray() };
    }

    // Null when the bytes are not an UnmaskingRequest of the canonical shape.
    public static UnmaskingRequest? TryReadUnmaskingRequest(ReadOnlyMemory<byte> bytes, int maxBytes)
    {
        var reader = new CanonicalReader(bytes.Span);
        if (bytes.Length > maxBytes || !TryHeader(ref reader, UnmaskingRequestCode, 3, out int version) ||
            !reader.TryUIntArray(out uint[] tagSenders) || !reader.TryBin(out int tagsAt, out int tagsLength) || reader.Position != bytes.Length)
        {
            return null;
        }
        return new UnmaskingRequest { Version = version, TagSenders = tagSenders, Tags = bytes.Slice(tagsAt, tagsLength).ToArray() };
    }

    // [code, [version, ...`fields` - 1 more]]
    private static bool TryHeader(ref CanonicalReader reader, int code, int fields, out int version)
    {
        version = 0;
        if (!reader.TryArrayHeader(out int outer) || outer != 2 || !reader.TryUInt(out uint union) || union != code ||
            !reader.TryArrayHeader(out int count) || count != fields || !reader.TryUInt(out uint v) || v > int.MaxValue)
        {
            return false;
        }
        version = (int)v;
        return true;
    }
}
