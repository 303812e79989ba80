using System.Buffers;
using System.Security.Cryptography;
using SecureFed.Primitives.Randomness;
using SecureFed.Privacy.Sampling;

namespace SecureFed.Privacy.Pipeline;

/// <summary>
/// The client side of distributed DP (protocol-spec/dp.md): clip to L2 norm c, pad to a power of two, rotate with the
/// round's public signs, scale by 1/gamma, conditionally round to integers, add this client's exact integer noise
/// share, and reduce modulo 2^bits. The output words are ready for masking or homomorphic encryption.
/// Immutable after construction: one encoder may serve many clients and threads, each with its own random source.
/// </summary>
public sealed class DpClientEncoder
{
    private readonly double[] _signs;
    private readonly IBufferedNoiseSampler _sampler;

    /// <summary>Creates the encoder for <paramref name="plan"/> and the round's 32-byte public seed.</summary>
    /// <exception cref="ArgumentException">The seed is not 32 bytes.</exception>
    public DpClientEncoder(DistributedDpPlan plan, ReadOnlySpan<byte> publicRoundSeed)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Plan = plan;
        _signs = RandomizedHadamard.DeriveSigns(publicRoundSeed, plan.PaddedDimension);
        _sampler = (IBufferedNoiseSampler)plan.CreateSampler();
    }

    /// <summary>The plan the encoder follows.</summary>
    public DistributedDpPlan Plan { get; }

    /// <summary>
    /// Encodes <paramref name="update"/> (length <see cref="DistributedDpPlan.Dimension"/>) into
    /// <paramref name="destination"/> (length <see cref="DistributedDpPlan.PaddedDimension"/>, each word &lt; 2^Bits),
    /// drawing the rounding and noise randomness from <paramref name="random"/> (a CSPRNG in production).
    /// </summary>
    /// <exception cref="ArgumentException">A length is wrong or the update holds NaN or infinity.</exception>
    /// <exception cref="DpRoundingException">Conditional rounding failed (astronomically unlikely with the planner's beta).</exception>
    public DpEncodeResult Encode(ReadOnlySpan<double> update, Span<ulong> destination, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (update.Length != Plan.Dimension)
        {
            throw new ArgumentException($"update must have {Plan.Dimension} coordinates, got {update.Length}", nameof(update));
        }
        if (destination.Length != Plan.PaddedDimension)
        {
            throw new ArgumentException($"destination must have {Plan.PaddedDimension} words, got {destination.Length}", nameof(destination));
        }
        double clipFactor = L2Clipping.Factor(update, Plan.ClipNorm, out double norm);
        bool clipped = clipFactor < 1.0;
        double factor = clipFactor / Plan.Scale;

        int d = Plan.PaddedDimension;
        double[] work = ArrayPool<double>.Shared.Rent(d);
        long[] z = ArrayPool<long>.Shared.Rent(d);
        try
        {
            Span<double> x = work.AsSpan(0, d);
            x.Clear();
            update.CopyTo(x);
            RandomizedHadamard.Forward(x, _signs);
            for (int i = 0; i < d; i++)
            {
                x[i] *= factor; // rotation is linear, so clip-and-scale after rotating is the same map
            }
            Span<long> zs = z.AsSpan(0, d);
            using var buffer = new RandomWordBuffer(random);
            int attempts = ConditionalRounding.Round(x, zs, Plan.L2SensitivitySquared, Plan.MaxRoundingAttempts, buffer);
            ulong mask = Plan.Bits == 64 ? ulong.MaxValue : (1UL << Plan.Bits) - 1;
            for (int i = 0; i < d; i++)
            {
                // Two's complement wrap: (ulong)(z + noise) mod 2^64, then mod 2^bits, is (z + noise) mod 2^bits.
                destination[i] = unchecked((ulong)(zs[i] + _sampler.Next(buffer))) & mask;
            }
            return new DpEncodeResult(clipped, norm, attempts);
        }
        finally
        {
            // The rounded update and its float image are this client's private data.
            CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(work.AsSpan(0, d)));
            CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(z.AsSpan(0, d)));
            ArrayPool<double>.Shared.Return(work);
            ArrayPool<long>.Shared.Return(z);
        }
    }
}
