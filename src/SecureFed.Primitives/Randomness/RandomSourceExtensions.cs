using System.Buffers.Binary;

namespace SecureFed.Primitives.Randomness;

/// <summary>Uniform integers from an <see cref="IRandomSource"/>.</summary>
public static class RandomSourceExtensions
{
    /// <summary>A uniform 64-bit word.</summary>
    public static ulong NextUInt64(this IRandomSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Span<byte> b = stackalloc byte[8];
        source.Fill(b);
        return BinaryPrimitives.ReadUInt64LittleEndian(b);
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>) by rejection sampling (no modulo bias).</summary>
    public static ulong NextBelow(this IRandomSource source, ulong bound)
    {
        ArgumentOutOfRangeException.ThrowIfZero(bound);
        // Reject the top partial interval so every residue is equally likely.
        ulong limit = ulong.MaxValue - (ulong.MaxValue % bound + 1) % bound;
        while (true)
        {
            ulong x = source.NextUInt64();
            if (x <= limit)
            {
                return x % bound;
            }
        }
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits (for non-secret uses such as test data).</summary>
    public static double NextDouble(this IRandomSource source) => (source.NextUInt64() >> 11) * (1.0 / (1UL << 53));
}
