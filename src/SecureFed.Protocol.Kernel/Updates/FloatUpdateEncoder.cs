using SecureFed.Primitives.Randomness;
using SecureFed.Privacy.Pipeline;

namespace SecureFed.Protocol.Updates;

/// <summary>
/// The client side of <see cref="FloatEncodingParameters"/>: checks the update, clips it to the L2 norm
/// (<see cref="L2Clipping"/>), multiplies it by the weight and quantizes it (<see cref="Quantization.FixedPointQuantizer"/>,
/// unbiased stochastic rounding from the injected random source, a CSPRNG in production). Bad input is refused
/// before anything is produced. Immutable: one encoder may serve many threads, each with its own random source.
/// </summary>
public sealed class FloatUpdateEncoder
{
    /// <summary>Creates the encoder for <paramref name="parameters"/>.</summary>
    public FloatUpdateEncoder(FloatEncodingParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
    }

    /// <summary>The round's encoding.</summary>
    public FloatEncodingParameters Parameters { get; }

    /// <summary>Encodes a single-precision update with its weight.</summary>
    /// <exception cref="ArgumentException">Wrong length, or a NaN or infinite coordinate (the message names the first bad index).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The weight is not in (0, MaxWeight] or rounds to 0 units of 2^-16.</exception>
    public EncodedUpdate Encode(ReadOnlySpan<float> update, double weight, IRandomSource random)
    {
        CheckLength(update.Length);
        using var scratch = UpdateScratch.CopyOf(update);
        return EncodeChecked(scratch.Values, weight, random);
    }

    /// <summary>Encodes a double-precision update with its weight.</summary>
    /// <exception cref="ArgumentException">Wrong length, or a NaN or infinite coordinate (the message names the first bad index).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The weight is not in (0, MaxWeight] or rounds to 0 units of 2^-16.</exception>
    public EncodedUpdate Encode(ReadOnlySpan<double> update, double weight, IRandomSource random)
    {
        CheckLength(update.Length);
        using var scratch = UpdateScratch.CopyOf(update);
        return EncodeChecked(scratch.Values, weight, random);
    }

    /// <summary>The weight word a client sends for <paramref name="weight"/>: round(weight x 2^16), capped at MaxWeight.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The weight is not in (0, MaxWeight] or rounds to 0.</exception>
    public ulong WeightUnits(double weight)
    {
        if (!(weight > 0) || weight > Parameters.MaxWeight)
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, $"the weight must be in (0, {Parameters.MaxWeight}]");
        }
        ulong units = Math.Min((ulong)Math.Round(weight * (1 << FloatEncodingParameters.WeightFractionBits)), Parameters.MaxWeightUnits);
        if (units == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "the weight rounds to 0 units of 2^-16");
        }
        return units;
    }

    private EncodedUpdate EncodeChecked(Span<double> x, double weight, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        for (int i = 0; i < x.Length; i++)
        {
            if (!double.IsFinite(x[i]))
            {
                throw new ArgumentException($"update[{i}] is {(double.IsNaN(x[i]) ? "NaN" : "infinite")}; every coordinate must be finite", "update");
            }
        }
        ulong units = WeightUnits(weight);
        double appliedWeight = units * FloatEncodingParameters.WeightUnit;
        double clipFactor = L2Clipping.Factor(x, Parameters.ClipNorm, out double norm);
        double factor = clipFactor * appliedWeight;
        for (int i = 0; i < x.Length; i++)
        {
            x[i] *= factor;
        }
        var values = new ulong[x.Length];
        Parameters.Quantizer.Quantize(x, values, random);
        return new EncodedUpdate([values, [units]], clipFactor < 1.0, norm, appliedWeight);
    }

    private void CheckLength(int length)
    {
        if (length != Parameters.Length)
        {
            throw new ArgumentException($"the update must have {Parameters.Length} coordinates, got {length}", "update");
        }
    }
}
