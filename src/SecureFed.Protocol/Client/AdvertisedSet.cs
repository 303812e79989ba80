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
