using System.Runtime.Intrinsics;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Vectors;

namespace SecureFed.Protocol.Quantization;

/// <summary>
/// Maps real coordinates to integers mod 2^bits for aggregation (protocol-spec/secagg.md, "Quantization"): clip to
/// [-ClipRange, ClipRange], multiply by <see cref="Scale"/>, round stochastically (unbiased: floor(v) + 1 with
/// probability v - floor(v), from a CSPRNG) and store two's-complement mod 2^bits. Each client's integer lies in
/// [-R, R] with R = floor((2^bits - 1) / (2 n)) (at most 2^52), so the sum of n clients decodes without wrapping.
/// </summary>
public sealed class FixedPointQuantizer
{
    private FixedPointQuantizer(double clipRange, int bits, int clients, long maxMagnitude)
    {
        ClipRange = clipRange;
        Bits = bits;
        Clients = clients;
        MaxMagnitude = maxMagnitude;
        Scale = maxMagnitude / clipRange;
    }

    /// <summary>Inputs are clipped to [-ClipRange, ClipRange].</summary>
    public double ClipRange { get; }

    /// <summary>Modulus exponent.</summary>
    public int Bits { get; }

    /// <summary>Largest number of clients whose sum is guaranteed to decode.</summary>
    public int Clients { get; }

    /// <summary>R: the largest integer magnitude one client contributes.</summary>
    public long MaxMagnitude { get; }

    /// <summary>Integer units per 1.0 of input.</summary>
    public double Scale { get; }

    /// <summary>
    /// Chooses the finest scale for which <paramref name="clients"/> x (2R + 1) fits in 2^bits.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A bad clip range, bits outside 16..64, or clients x input range that cannot fit in 2^bits.</exception>
    public static FixedPointQuantizer Create(double clipRange, int bits, int clients)
    {
        if (!(clipRange > 0) || double.IsInfinity(clipRange))
        {
            throw new ArgumentOutOfRangeException(nameof(clipRange), clipRange, "the clip range must be a positive finite number");
        }
        if (bits is < 16 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "quantization supports 16 to 64 bits");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(clients, 1);
        ulong r = ModularArithmetic.Mask(bits) / (2UL * (ulong)clients);
        if (r < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(clients), clients,
                $"{clients} clients x input range do not fit in 2^{bits}: need at least {Math.Ceiling(Math.Log2(2.0 * clients + 1))} bits");
        }
        return new FixedPointQuantizer(clipRange, bits, clients, (long)Math.Min(r, 1UL << 52));
    }

    /// <summary>Quantizes <paramref name="values"/> into <paramref name="destination"/> (same length).</summary>
    public void Quantize(ReadOnlySpan<double> values, Span<ulong> destination, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (values.Length != destination.Length)
        {
            throw new ArgumentException("values and destination differ in length", nameof(destination));
        }
        for (int i = 0; i < values.Length; i++)
        {
            destination[i] = QuantizeOne(values, i, random.NextUInt64());
        }
    }

    /// <summary>
    /// As <see cref="Quantize(ReadOnlySpan{double}, Span{ulong}, IRandomSource)"/> with the random words drawn up front:
    /// element i rounds with <paramref name="randomWords"/>[i] where that method would draw its i-th word, so both give
    /// the same output for the same words (one bulk draw instead of a call per element).
    /// </summary>
    public void Quantize(ReadOnlySpan<double> values, Span<ulong> destination, ReadOnlySpan<ulong> randomWords)
    {
        if (values.Length != destination.Length || randomWords.Length != values.Length)
        {
            throw new ArgumentException("values, destination and random words differ in length", nameof(destination));
        }
        int done = Vector256.IsHardwareAccelerated ? QuantizeVectors(values, destination, randomWords) : 0;
        for (int i = done; i < values.Length; i++)
        {
            destination[i] = QuantizeOne(values, i, randomWords[i]);
        }
    }

    // QuantizeOne four elements at a time: the same IEEE operations in the same order (clamp by comparisons as
    // Math.Clamp does, multiply, floor, exact conversions below 2^53), so the outputs are equal bit for bit. Returns how
    // many elements it did; it stops before a block holding a NaN so that the scalar loop names it.
    private int QuantizeVectors(ReadOnlySpan<double> values, Span<ulong> destination, ReadOnlySpan<ulong> randomWords)
    {
        Vector256<double> lo = Vector256.Create(-ClipRange), hi = Vector256.Create(ClipRange), scale = Vector256.Create(Scale);
        Vector256<double> unit = Vector256.Create(1.0 / (1UL << 53));
        Vector256<long> min = Vector256.Create(-MaxMagnitude), max = Vector256.Create(MaxMagnitude);
        Vector256<ulong> mask = Vector256.Create(ModularArithmetic.Mask(Bits));
        int i = 0;
        for (; i <= values.Length - Vector256<double>.Count; i += Vector256<double>.Count)
        {
            Vector256<double> x = Vector256.Create(values.Slice(i, Vector256<double>.Count));
            if (!Vector256.EqualsAll(x, x))
            {
                break;
            }
            x = Vector256.ConditionalSelect(Vector256.LessThan(x, lo), lo, Vector256.ConditionalSelect(Vector256.GreaterThan(x, hi), hi, x));
            Vector256<double> v = x * scale;
            Vector256<double> floor = Vector256.Floor(v);
            Vector256<double> u = Vector256.ConvertToDouble(Vector256.ShiftRightLogical(Vector256.Create(randomWords.Slice(i, Vector256<double>.Count)), 11)) * unit;
            Vector256<long> up = Vector256.LessThan(u, v - floor).AsInt64(); // all ones (-1) where the element rounds up
            Vector256<long> q = Vector256.Min(Vector256.Max(Vector256.ConvertToInt64(floor) - up, min), max);
            (q.AsUInt64() & mask).CopyTo(destination.Slice(i, Vector256<double>.Count));
        }
        return i;
    }

    // Stochastic rounding with a uniform double in [0, 1) made from `word` as RandomSourceExtensions.NextDouble does.
    private ulong QuantizeOne(ReadOnlySpan<double> values, int i, ulong word)
    {
        double x = values[i];
        if (double.IsNaN(x))
        {
            throw new ArgumentException($"value {i} is NaN", nameof(values));
        }
        double v = Math.Clamp(x, -ClipRange, ClipRange) * Scale;
        double floor = Math.Floor(v);
        double u = (word >> 11) * (1.0 / (1UL << 53));
        long q = (long)floor + (u < v - floor ? 1 : 0);
        q = Math.Clamp(q, -MaxMagnitude, MaxMagnitude);
        return (ulong)q & ModularArithmetic.Mask(Bits);
    }

    /// <summary>Decodes a sum mod 2^bits (centred) back to real units.</summary>
    public void Dequantize(ReadOnlySpan<ulong> sum, Span<double> destination)
    {
        ulong half = Bits == 64 ? 1UL << 63 : 1UL << (Bits - 1);
        for (int i = 0; i < sum.Length; i++)
        {
            long centred = sum[i] >= half ? (long)(sum[i] - half) - (long)(half - 1) - 1 : (long)sum[i];
            destination[i] = centred / Scale;
        }
    }
}
