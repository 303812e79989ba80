using System.Numerics;
using SecureFed.Protocol.Configuration;

namespace SecureFed.Protocol.Derivation;

/// <summary>
/// A set of enrolled clients on the wire (U1 in KeyDirectory key 1, U3 in SurvivorSet key 1, protocol-spec/secagg.md
/// 2.3): one bit per roster entry in ascending client id, bit i in byte i / 8 at i % 8, least significant first.
/// 1.25 KB for 10,000 clients where a list of ids is up to 50 KB, and each device gets its own copy.
/// </summary>
public static class RosterBitmap
{
    /// <summary>The bitmap of <paramref name="ids"/>, enrolled ids in strictly ascending order.</summary>
    public static byte[] Encode(RoundParameters parameters, ReadOnlySpan<uint> ids)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ReadOnlySpan<uint> roster = parameters.AscendingClientIds;
        var bits = new byte[(roster.Length + 7) / 8];
        int r = 0;
        foreach (uint id in ids)
        {
            while (r < roster.Length && roster[r] < id)
            {
                r++;
            }
            if (r == roster.Length || roster[r] != id)
            {
                throw new ArgumentException($"client {id} is not on the roster, or the ids are not ascending", nameof(ids));
            }
            bits[r >> 3] |= (byte)(1 << (r & 7));
        }
        return bits;
    }

    /// <summary>The ids the bitmap lists, ascending; null when it has the wrong length or a bit set past the roster.</summary>
    public static uint[]? TryDecode(RoundParameters parameters, ReadOnlySpan<byte> bitmap)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ReadOnlySpan<uint> roster = parameters.AscendingClientIds;
        if (bitmap.Length != (roster.Length + 7) / 8 || (roster.Length % 8 != 0 && bitmap[^1] >> (roster.Length % 8) != 0))
        {
            return null;
        }
        // Count, then list the set bits a byte at a time (a branch per roster entry cost more than the rest of a
        // client's directory step at 10,000 clients).
        int count = 0;
        foreach (byte b in bitmap)
        {
            count += BitOperations.PopCount(b);
        }
        var ids = new uint[count];
        int next = 0;
        for (int b = 0; b < bitmap.Length; b++)
        {
            uint bits = bitmap[b];
            while (bits != 0)
            {
                ids[next++] = roster[(b << 3) + BitOperations.TrailingZeroCount(bits)];
                bits &= bits - 1;
            }
        }
        return ids;
    }
}
