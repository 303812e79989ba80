using SecureFed.Primitives.Prg;

namespace SecureFed.Privacy.Pipeline;

/// <summary>
/// The randomized Walsh-Hadamard rotation R = H D / sqrt(d) (H the unnormalised Sylvester-Hadamard matrix, D the
/// diagonal of public random signs), orthogonal with inverse R^T = D H / sqrt(d). It spreads a vector's energy evenly
/// over the coordinates so that no coordinate of the modular sum is likely to wrap around.
/// Sign derivation (protocol-spec/dp.md): keystream = AES-256-CTR(key = 32-byte public round seed,
/// nonce = ASCII "DPROTATE" as a big-endian 64-bit integer), sign_i = -1 iff bit (i mod 8) (least significant first)
/// of keystream byte floor(i / 8) is 1.
/// </summary>
internal static class RandomizedHadamard
{
    /// <summary>ASCII "DPROTATE" read as a big-endian 64-bit integer: separates the rotation stream from other uses of a seed.</summary>
    public const ulong RotationNonce = 0x4450_524F_5441_5445;

    /// <summary>The d signs (+1 / -1) for a 32-byte public seed.</summary>
    public static double[] DeriveSigns(ReadOnlySpan<byte> publicRoundSeed, int paddedDimension)
    {
        if (publicRoundSeed.Length != AesCtrKeystream.SeedSize)
        {
            throw new ArgumentException($"public round seed must be {AesCtrKeystream.SeedSize} bytes, got {publicRoundSeed.Length}", nameof(publicRoundSeed));
        }
        int bytes = (paddedDimension + 7) / 8;
        var stream = new byte[(bytes + 15) / 16 * 16];
        using (var prg = new AesCtrKeystream(publicRoundSeed, RotationNonce))
        {
            prg.Fill(stream);
        }
        var signs = new double[paddedDimension];
        for (int i = 0; i < paddedDimension; i++)
        {
            signs[i] = ((stream[i >> 3] >> (i & 7)) & 1) == 1 ? -1.0 : 1.0;
        }
        return signs;
    }

    /// <summary>In-place unnormalised fast Walsh-Hadamard transform (length a power of two): H·x in d log d additions.</summary>
    public static void Transform(Span<double> x)
    {
        int n = x.Length;
        for (int h = 1; h < n; h <<= 1)
        {
            for (int i = 0; i < n; i += h << 1)
            {
                for (int j = i; j < i + h; j++)
                {
                    double a = x[j];
                    double b = x[j + h];
                    x[j] = a + b;
                    x[j + h] = a - b;
                }
            }
        }
    }

    /// <summary>x := H D x / sqrt(d).</summary>
    public static void Forward(Span<double> x, ReadOnlySpan<double> signs)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] *= signs[i];
        }
        Transform(x);
        double norm = 1 / Math.Sqrt(x.Length);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] *= norm;
        }
    }

    /// <summary>x := D H x / sqrt(d), the inverse of <see cref="Forward"/>.</summary>
    public static void Inverse(Span<double> x, ReadOnlySpan<double> signs)
    {
        Transform(x);
        double norm = 1 / Math.Sqrt(x.Length);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] *= norm * signs[i];
        }
    }
}
