using SecureFed.Primitives.Randomness;
using SecureFed.Privacy.Pipeline;
using SecureFed.Privacy.Rounds;
using SecureFed.Protocol.Configuration;

namespace SecureFed.Protocol.Updates;

/// <summary>
/// Float updates with distributed DP (protocol-spec/dp.md): each client clips, rotates, scales, rounds and adds its
/// share of exact integer noise (<see cref="DpClientEncoder"/>) into one vector of PaddedDimension words mod 2^Bits;
/// the decoder returns the noisy sum divided by the survivor count. Weights are not supported (a weight would change
/// the sensitivity the noise is sized for): every client's weight must be 1.
/// </summary>
public sealed class DpUpdateEncoding : IRoundUpdateEncoding
{
    private readonly DpClientEncoder _encoder;
    private readonly DpServerDecoder _decoder;

    /// <summary>Creates the encoding for <paramref name="parameters"/> and the round's 32-byte public rotation seed.</summary>
    /// <exception cref="ArgumentException">The seed is not 32 bytes.</exception>
    public DpUpdateEncoding(DpRoundParameters parameters, ReadOnlySpan<byte> publicRotationSeed)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
        _encoder = parameters.CreateClientEncoder(publicRotationSeed);
        _decoder = parameters.CreateServerDecoder(publicRotationSeed);
    }

    /// <summary>The round's DP parameters.</summary>
    public DpRoundParameters Parameters { get; }

    /// <inheritdoc/>
    public int Length => Parameters.Plan.Dimension;

    /// <inheritdoc/>
    public VectorSpec[] Vectors() => [new VectorSpec { Length = Parameters.Plan.PaddedDimension, Bits = Parameters.Plan.Bits }];

    /// <inheritdoc/>
    public EncodedUpdate Encode(ReadOnlySpan<float> update, double weight, IRandomSource random)
    {
        CheckLength(update.Length);
        using var scratch = UpdateScratch.CopyOf(update);
        return EncodeChecked(scratch.Values, weight, random);
    }

    /// <inheritdoc/>
    public EncodedUpdate Encode(ReadOnlySpan<double> update, double weight, IRandomSource random)
    {
        CheckLength(update.Length);
        return EncodeChecked(update, weight, random);
    }

    /// <inheritdoc/>
    public DecodedAverage Decode(IReadOnlyList<ulong[]> sums, int survivors)
    {
        ArgumentNullException.ThrowIfNull(sums);
        DistributedDpPlan plan = Parameters.Plan;
        if (sums.Count != 1 || sums[0] is null)
        {
            throw new ArgumentException("expected the one noisy-sum vector of a DP round", nameof(sums));
        }
        if (survivors < 1 || survivors > plan.ExpectedClients)
        {
            throw new ArgumentOutOfRangeException(nameof(survivors), survivors, $"survivors must be in [1, {plan.ExpectedClients}]");
        }
        var average = new double[plan.Dimension];
        _decoder.Decode(sums[0], average);
        for (int i = 0; i < average.Length; i++)
        {
            average[i] /= survivors;
        }
        // Per coordinate of the sum: m noise shares of variance sigma^2 plus m roundings of variance at most 1/4, in units of gamma.
        double noise = plan.Scale * Math.Sqrt(survivors * (plan.PerClientNoiseVariance + 0.25)) / survivors;
        return new DecodedAverage(average, survivors, survivors, double.PositiveInfinity, plan.ClipNorm, noise);
    }

    private EncodedUpdate EncodeChecked(ReadOnlySpan<double> x, double weight, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        for (int i = 0; i < x.Length; i++)
        {
            if (!double.IsFinite(x[i]))
            {
                throw new ArgumentException($"update[{i}] is {(double.IsNaN(x[i]) ? "NaN" : "infinite")}; every coordinate must be finite", "update");
            }
        }
        if (weight != 1)
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "a DP round takes unweighted updates (weight 1)");
        }
        var words = new ulong[Parameters.Plan.PaddedDimension];
        DpEncodeResult result = _encoder.Encode(x, words, random);
        return new EncodedUpdate([words], result.Clipped, result.OriginalNorm, 1);
    }

    private void CheckLength(int length)
    {
        if (length != Length)
        {
            throw new ArgumentException($"the update must have {Length} coordinates, got {length}", "update");
        }
    }
}
