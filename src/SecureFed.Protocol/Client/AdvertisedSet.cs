using System.Buffers.Binary;
using SecureFed.Protocol.Configuration;

namespace SecureFed.Protocol.Client;

// Who advertised keys (U1) as one bit per enrolled client, in roster order: 1.25 KB for 10,000 clients where a list of
// ids is 40 KB, kept by every client from R0 to R2 (a simulation runs 10,000 clients).
internal sealed class AdvertisedSet
{
    private readonly ulong[] _bits;
    private readonly RoundParameters _parameters;

    private AdvertisedSet(RoundParameters parameters, ulong[] bits)
    {
        _parameters = parameters;
        _bits = bits;
    }

    // `advertised`: enrolled ids, strictly ascending (the key directory's order).
    public static AdvertisedSet Of(RoundParameters parameters, ReadOnlySpan<uint> advertised)
    {
        ReadOnlySpan<uint> roster = parameters.AscendingClientIds;
        var bits = new ulong[(roster.Length + 63) / 64];
        int r = 0;
        foreach (uint id in advertised)
        {
            while (r < roster.Length - 1 && roster[r] < id)
            {
                r++;
            }
            bits[r >> 6] |= 1UL << (r & 63);
        }
        return new AdvertisedSet(parameters, bits);
    }

    // From U1's wire bitmap (secagg.md 2.3, already checked by RosterBitmap.TryDecode): roster index i is bit i % 8
    // of byte i / 8, so its bytes read as little-endian 64-bit words are this set's words. What Of gives for the ids
    // the bitmap lists, without a walk of the roster.
    public static AdvertisedSet FromBitmap(RoundParameters parameters, ReadOnlySpan<byte> bitmap)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var bits = new ulong[(parameters.AscendingClientIds.Length + 63) / 64];
        int whole = Math.Min(bits.Length, bitmap.Length / 8);
        for (int w = 0; w < whole; w++)
        {
            bits[w] = BinaryPrimitives.ReadUInt64LittleEndian(bitmap.Slice(8 * w, 8));
        }
        for (int b = 8 * whole; b < bitmap.Length && b / 8 < bits.Length; b++)
        {
            bits[b / 8] |= (ulong)bitmap[b] << (8 * (b % 8));
        }
        return new AdvertisedSet(parameters, bits);
    }

    public bool Contains(uint id)
    {
        int r = _parameters.AscendingClientIds.BinarySearch(id);
        return r >= 0 && (_bits[r >> 6] & (1UL << (r & 63))) != 0;
    }

    // Walks the roster alongside ascending ids: `cursor` starts at 0 and is passed back for each next, larger id; true
    // when `id` advertised. O(roster) for a whole ascending list, where a search per id would be O(ids x log roster).
    public bool ContainsNext(uint id, ref int cursor)
    {
        ReadOnlySpan<uint> roster = _parameters.AscendingClientIds;
        while (cursor < roster.Length && roster[cursor] < id)
        {
            cursor++;
        }
        return cursor < roster.Length && roster[cursor] == id && (_bits[cursor >> 6] & (1UL << (cursor & 63))) != 0;
    }
}
