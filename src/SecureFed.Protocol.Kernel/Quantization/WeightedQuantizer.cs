using SecureFed.Primitives.Randomness;
using SecureFed.Protocol.Configuration;

namespace SecureFed.Protocol.Quantization;

/// <summary>
/// Weighted averaging over secure aggregation (protocol-spec/secagg.md, "Weighted averaging"): a client with integer
/// weight w (1 &lt;= w &lt;= MaxWeight, e.g. its number of examples) sends w * q(x) in the update vector and w in a second,
/// one-element vector mod 2^64, both masked in the same round. The server learns only sum_u w_u q(x_u) and sum_u w_u,
/// hence the weighted mean. The quantizer's range is divided by MaxWeight so that n x MaxWeight x range fits.
/// </summary>
public sealed class WeightedQuantizer
{
    /// <summary>Bits of the weight vector: totals up to 2^64 - 1.</summary>
    public const int WeightBits = 64;

    private WeightedQuantizer(FixedPointQuantizer inner, uint maxWeight)
    {
        Inner = inner;
        MaxWeight = maxWeight;
    }

    /// <summary>The per-value quantizer (its range already divided by the maximum weight).</summary>
    public FixedPointQuantizer Inner { get; }

    /// <summary>Largest weight a client may send.</summary>
    public uint MaxWeight { get; }

    /// <summary>Creates the quantizer for <paramref name="clients"/> clients with weights up to <paramref name="maxWeight"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The weighted sum cannot fit in 2^bits.</exception>
    public static WeightedQuantizer Create(double clipRange, int bits, int clients, uint maxWeight)
    {
        ArgumentOutOfRangeException.ThrowIfZero(maxWeight);
        long effectiveClients = (long)clients * maxWeight;
        if (effectiveClients > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(maxWeight), maxWeight, "clients x maximum weight is too large");
        }
        return new WeightedQuantizer(FixedPointQuantizer.Create(clipRange, bits, (int)effectiveClients), maxWeight);
    }

    /// <summary>The round's vectors for updates of <paramref name="length"/> values: the weighted update, then the weight.</summary>
    public VectorSpec[] Vectors(int length) => [new VectorSpec { Length = length, Bits = Inner.Bits }, new VectorSpec { Length = 1, Bits = WeightBits }];

    /// <summary>Encodes one client's update with its weight into the round's two vectors.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The weight is 0 or above <see cref="MaxWeight"/>.</exception>
    public ulong[][] Encode(ReadOnlySpan<double> update, uint weight, IRandomSource random)
    {
        if (weight == 0 || weight > MaxWeight)
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, $"weight must be in [1, {MaxWeight}]");
        }
        var q = new ulong[update.Length];
        Inner.Quantize(update, q, random);
        ulong mask = Primitives.Vectors.ModularArithmetic.Mask(Inner.Bits);
        for (int i = 0; i < q.Length; i++)
        {
            q[i] = q[i] * weight & mask; // two's complement: multiplying mod 2^bits scales the signed value
        }
        return [q, [weight]];
    }

    /// <summary>Decodes the round's sums into the weighted mean and the total weight.</summary>
    public (double[] WeightedMean, ulong TotalWeight) Decode(IReadOnlyList<ulong[]> sums)
    {
        ArgumentNullException.ThrowIfNull(sums);
        if (sums.Count != 2 || sums[1].Length != 1)
        {
            throw new ArgumentException("expected the weighted-update sum and the one-element weight sum", nameof(sums));
        }
        var mean = new double[sums[0].Length];
        Inner.Dequantize(sums[0], mean);
        ulong total = sums[1][0];
        for (int i = 0; i < mean.Length; i++)
        {
            mean[i] = total == 0 ? 0 : mean[i] / total;
        }
        return (mean, total);
    }
}
