using SecureFed.Primitives.Randomness;

namespace SecureFed.Privacy.Sampling;

/// <summary>A sampler that draws from a shared <see cref="RandomWordBuffer"/> (so the encoder's randomness use is one stream).</summary>
internal interface IBufferedNoiseSampler
{
    long Next(RandomWordBuffer random);

    // Fills destination with samples from one buffered stream (all zeros for a zero-variance sampler).
    static void Fill(IBufferedNoiseSampler sampler, ulong varianceNumerator, IRandomSource random, Span<long> destination)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (varianceNumerator == 0)
        {
            destination.Clear();
            return;
        }
        using var buffer = new RandomWordBuffer(random);
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = sampler.Next(buffer);
        }
    }
}
