using SecureFed.Primitives.Vectors;
using SecureFed.Protocol.Configuration;

namespace SecureFed.Protocol.Updates;

/// <summary>
/// A float round's vectors as one vector of one width, for a scheme that sums exactly one (HE, he.md 10.1): the
/// vectors concatenated in order, every word taken mod 2^<see cref="Bits"/> (the first vector's width). A plain float
/// round's weight vector (64 bits wide) fits because the roster's weight sum is checked to stay below 2^Bits, so its
/// sum mod 2^Bits is the exact sum. <see cref="InputOffset"/> and <see cref="InputRange"/> are the window every word
/// lies in after the offset (what lane packing needs); a DP round's words wrap by design, so it has no window and
/// runs one value per coefficient.
/// </summary>
public sealed class SingleVectorLayout
{
    private readonly VectorSpec[] _vectors;

    private SingleVectorLayout(VectorSpec[] vectors, int bits, ulong offset, ulong range, bool windowed)
    {
        _vectors = vectors;
        Bits = bits;
        InputOffset = offset;
        InputRange = range;
        Windowed = windowed;
        Length = vectors.Sum(v => v.Length);
    }

    /// <summary>Values of the one vector.</summary>
    public int Length { get; }

    /// <summary>Width of every value.</summary>
    public int Bits { get; }

    /// <summary>Added to every word before lane packing (the update's largest magnitude R; 0 for DP).</summary>
    public ulong InputOffset { get; }

    /// <summary>Every word plus <see cref="InputOffset"/> lies in [0, InputRange) (for DP: the largest range the roster allows, not a bound on the words).</summary>
    public ulong InputRange { get; }

    /// <summary>True when the words lie in the window (lanes may be packed); false for DP (one value per coefficient).</summary>
    public bool Windowed { get; }

    /// <summary>The encoded vectors of one device, concatenated.</summary>
    /// <exception cref="ArgumentException">The vectors do not have the encoding's shape, or a word does not fit the width.</exception>
    public ulong[] Join(IReadOnlyList<ulong[]> vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        if (vectors.Count != _vectors.Length || vectors.Where((v, j) => v is null || v.Length != _vectors[j].Length).Any())
        {
            throw new ArgumentException("the vectors do not have the round's shape", nameof(vectors));
        }
        var joined = new ulong[Length];
        int at = 0;
        ulong mask = ModularArithmetic.Mask(Bits);
        foreach (ulong[] v in vectors)
        {
            if (v.Any(w => (w & ~mask) != 0))
            {
                throw new ArgumentException($"a word does not fit {Bits} bits", nameof(vectors));
            }
            v.CopyTo(joined, at);
            at += v.Length;
        }
        return joined;
    }

    /// <summary>The round's one sum split back into the encoding's vectors.</summary>
    /// <exception cref="ArgumentException">The sum does not have <see cref="Length"/> values.</exception>
    public ulong[][] Split(ReadOnlySpan<ulong> sum)
    {
        if (sum.Length != Length)
        {
            throw new ArgumentException($"the sum has {sum.Length} values, the round {Length}", nameof(sum));
        }
        var split = new ulong[_vectors.Length][];
        int at = 0;
        for (int j = 0; j < split.Length; j++)
        {
            split[j] = sum.Slice(at, _vectors[j].Length).ToArray();
            at += _vectors[j].Length;
        }
        return split;
    }

    internal static SingleVectorLayout For(FloatRoundEncoding encoding)
    {
        VectorSpec[] vectors = encoding.Vectors();
        int bits = vectors[0].Bits;
        int clients = encoding.Clients;
        ulong mask = ModularArithmetic.Mask(bits);
        if (encoding.Plain is not { } plain)
        {
            // DP words wrap mod 2^bits; the nominal range is the largest the roster allows (as for an integer round).
            return new SingleVectorLayout(vectors, bits, 0, mask / (ulong)clients + 1, windowed: false);
        }
        ulong r = (ulong)plain.Quantizer.MaxMagnitude;
        ulong range = r + Math.Max(r, plain.MaxWeightUnits) + 1;
        if ((UInt128)(range - 1) * (ulong)clients > mask)
        {
            throw new InvalidRoundConfigurationException("FloatEncoding.MaxWeight",
                $"small enough that {clients} clients' weight sum ({plain.MaxWeightUnits} units of 2^-16 each) fits the {bits}-bit values of a one-vector round (raise Bits or lower MaxWeight)",
                plain.MaxWeight);
        }
        return new SingleVectorLayout(vectors, bits, r, range, windowed: true);
    }
}
