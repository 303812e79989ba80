namespace SecureFed.Privacy.Sampling;

/// <summary>A sampler that draws from a shared <see cref="RandomWordBuffer"/> (so the encoder's randomness use is one stream).</summary>
internal interface IBufferedNoiseSampler
{
    long Next(RandomWordBuffer random);
}
