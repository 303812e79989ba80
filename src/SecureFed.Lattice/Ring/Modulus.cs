using System.Numerics;

namespace SecureFed.Lattice.Ring;

/// <summary>
/// A word-sized modulus with its Barrett constants. Values are limited to [2, 2^60) so that the lazy NTT's
/// intermediate range [0, 4p) and the sign-mask reductions stay inside 63 bits.
/// </summary>
public sealed class Modulus : IEquatable<Modulus>
{
    /// <summary>Largest supported bit length (4p &lt; 2^62 keeps lazy values and sign masks valid).</summary>
    public const int MaxBits = 60;

    /// <summary>Creates the modulus <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">value is below 2 or at least 2^60.</exception>
    public Modulus(ulong value)
    {
        if (value < 2 || value >= 1UL << MaxBits)
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"modulus must be in [2, 2^{MaxBits})");
        }
        Value = value;
        BitCount = 64 - BitOperations.LeadingZeroCount(value);
        UInt128 ratio = UInt128.MaxValue / value; // floor((2^128 - 1) / p) == floor(2^128 / p) as p is not a power of 2 above 1
        if (BitOperations.IsPow2(value))
        {
            ratio = (UInt128)1 << (128 - BitCount + 1);
        }
        RatioHi = (ulong)(ratio >> 64);
        RatioLo = (ulong)ratio;
        Ratio64 = ulong.MaxValue / value;
    }

    /// <summary>The modulus.</summary>
    public ulong Value { get; }

    /// <summary>Number of significant bits of the modulus.</summary>
    public int BitCount { get; }

    internal ulong RatioHi { get; }

    internal ulong RatioLo { get; }

    internal ulong Ratio64 { get; }

    /// <inheritdoc />
    public bool Equals(Modulus? other) => other is not null && other.Value == Value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Modulus);

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
