using SecureFed.Primitives.Randomness;
using SecureFed.Protocol.Configuration;

namespace SecureFed.Protocol.Updates;

/// <summary>The float encoding without DP: <see cref="FloatUpdateEncoder"/> and <see cref="FloatAverageDecoder"/> behind <see cref="IRoundUpdateEncoding"/>.</summary>
public sealed class PlainUpdateEncoding : IRoundUpdateEncoding
{
    private readonly FloatUpdateEncoder _encoder;
    private readonly FloatAverageDecoder _decoder;

    /// <summary>Creates the encoding for <paramref name="parameters"/>.</summary>
    public PlainUpdateEncoding(FloatEncodingParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
        _encoder = new FloatUpdateEncoder(parameters);
        _decoder = new FloatAverageDecoder(parameters);
    }

    /// <summary>The round's float encoding.</summary>
    public FloatEncodingParameters Parameters { get; }

    /// <inheritdoc/>
    public int Length => Parameters.Length;

    /// <inheritdoc/>
    public VectorSpec[] Vectors() => Parameters.Vectors();

    /// <inheritdoc/>
    public EncodedUpdate Encode(ReadOnlySpan<float> update, double weight, IRandomSource random) => _encoder.Encode(update, weight, random);

    /// <inheritdoc/>
    public EncodedUpdate Encode(ReadOnlySpan<double> update, double weight, IRandomSource random) => _encoder.Encode(update, weight, random);

    /// <inheritdoc/>
    public DecodedAverage Decode(IReadOnlyList<ulong[]> sums, int survivors) => _decoder.Decode(sums, survivors);
}
