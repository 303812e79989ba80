using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SecureFed.Primitives.Vectors;

namespace SecureFed.Protocol.Server;

// Adds a masked input to the running sum straight from its encoded bytes, for the whole-word encodings (4 or 8 bytes
// per element, i.e. 25 to 64 bits): no decoded copy of the vector (800 KB per 100,000 values) per client. Other
// widths return false and the caller decodes them first.
internal static class EncodedVectorSum
{
    public static bool Supports(int bits) => BitConverter.IsLittleEndian && ModularArithmetic.ElementBytes(bits) is 4 or 8;

    // True when every element of the encoding is below 2^bits (the same test as ModularArithmetic.TryDecode).
    public static bool InRange(ReadOnlySpan<byte> encoded, int bits)
    {
        ulong mask = ModularArithmetic.Mask(bits);
        if (ModularArithmetic.ElementBytes(bits) == 4)
        {
            uint high = ~(uint)mask;
            if (high == 0)
            {
                return true; // 32 bits: every 4-byte element is in range
            }
            uint seen = 0;
            foreach (uint x in MemoryMarshal.Cast<byte, uint>(encoded))
            {
                seen |= x & high;
            }
            return seen == 0;
        }
        if (mask == ulong.MaxValue)
        {
            return true;
        }
        ulong any = 0;
        foreach (ulong x in MemoryMarshal.Cast<byte, ulong>(encoded))
        {
            any |= x & ~mask;
        }
        return any == 0;
    }

    // sum[i] = sum[i] + element i of the encoding mod 2^bits; the encoding holds sum.Length elements, each in range.
    public static void Add(Span<ulong> sum, ReadOnlySpan<byte> encoded, int bits)
    {
        ulong mask = ModularArithmetic.Mask(bits);
        if (ModularArithmetic.ElementBytes(bits) == 8)
        {
            ModularArithmetic.AddInPlace(sum, MemoryMarshal.Cast<byte, ulong>(encoded), bits);
            return;
        }
        ReadOnlySpan<uint> x = MemoryMarshal.Cast<byte, uint>(encoded);
        if (x.Length != sum.Length)
        {
            throw new ArgumentException($"length mismatch: {sum.Length} vs {x.Length}", nameof(encoded));
        }
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var m = Vector256.Create(mask);
            ref ulong s = ref MemoryMarshal.GetReference(sum);
            ref uint e = ref MemoryMarshal.GetReference(x);
            for (; i + 8 <= x.Length; i += 8)
            {
                (Vector256<ulong> lo, Vector256<ulong> hi) = Vector256.Widen(Vector256.LoadUnsafe(ref e, (nuint)i));
                ((Vector256.LoadUnsafe(ref s, (nuint)i) + lo) & m).StoreUnsafe(ref s, (nuint)i);
                ((Vector256.LoadUnsafe(ref s, (nuint)i + 4) + hi) & m).StoreUnsafe(ref s, (nuint)i + 4);
            }
        }
        for (; i < x.Length; i++)
        {
            sum[i] = (sum[i] + x[i]) & mask;
        }
    }
}
