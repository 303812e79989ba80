using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Vectors;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Quantization;

namespace SecureFed.Samples.FederatedTraining;

/// <summary>
/// Weighted FedAvg encoding shared by the plain quantized, masking and HE runs: a client with weight w sends
/// w * q(delta) mod 2^bits and w (<see cref="WeightedQuantizer"/>); the decoded sums give the weighted mean delta.
/// Each run owns one encoder, whose rounding stream comes from the run's <see cref="RoundingSeed"/>.
/// </summary>
internal sealed class QuantizedUpdateEncoder : IDisposable
{
    private readonly DeterministicRandomSource _rounding;

    public QuantizedUpdateEncoder(WeightedQuantizer quantizer, int length, RoundingSeed seed)
    {
        ArgumentNullException.ThrowIfNull(quantizer);
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        Quantizer = quantizer;
        Length = length;
        _rounding = seed.CreateStream();
    }

    public WeightedQuantizer Quantizer { get; }

    public int Length { get; }

    /// <summary>The round's vectors: the weighted update (Bits) and the weight (64 bits).</summary>
    public IReadOnlyList<VectorSpec> Vectors => Quantizer.Vectors(Length);

    /// <summary>Encodes the updates in order (the order fixes which rounding draws each client gets).</summary>
    public ulong[][][] Encode(IReadOnlyList<ClientUpdate> updates)
    {
        var encoded = new ulong[updates.Count][][];
        for (int i = 0; i < updates.Count; i++)
        {
            if (updates[i].Delta.Length != Length)
            {
                throw new ArgumentException($"update of client {updates[i].Client} has {updates[i].Delta.Length} values, expected {Length}", nameof(updates));
            }
            encoded[i] = Quantizer.Encode(updates[i].Delta, updates[i].Weight, _rounding);
        }
        return encoded;
    }

    /// <summary>The plain modular sums of the encodings, vector by vector: the reference for any secure sum.</summary>
    public ulong[][] PlainSum(IReadOnlyList<ulong[][]> encoded)
    {
        IReadOnlyList<VectorSpec> specs = Vectors;
        var sums = specs.Select(v => new ulong[v.Length]).ToArray();
        foreach (ulong[][] client in encoded)
        {
            for (int j = 0; j < sums.Length; j++)
            {
                ModularArithmetic.AddInPlace(sums[j], client[j], specs[j].Bits);
            }
        }
        return sums;
    }

    /// <summary>The weighted mean delta from the round's sums.</summary>
    public double[] Decode(IReadOnlyList<ulong[]> sums) => Quantizer.Decode(sums).WeightedMean;

    public void Dispose() => _rounding.Dispose();
}
