using System.Numerics;
using SecureFed.Lattice.Bfv;

namespace SecureFed.Lattice.Tests;

/// <summary>Measures the actual noise of a ciphertext: max_j |t*x_j - q*m_j| / t with x = c0 + c1*s (exact CRT).</summary>
internal static class NoiseMeter
{
    public static double MaxNoiseLog2(BfvParameters p, ulong[] phase, int level, ReadOnlySpan<ulong> expected)
    {
        int n = p.Degree;
        BigInteger q = p.ModulusAt(level);
        BigInteger t = BigInteger.One << p.PlaintextBits;
        BigInteger tq = t * q;
        BigInteger max = 0;
        for (int j = 0; j < n; j++)
        {
            BigInteger x = 0;
            for (int i = 0; i < level; i++)
            {
                BigInteger pi = p.Primes[i];
                BigInteger qi = q / pi;
                x += phase[i * n + j] * qi * BigInteger.ModPow(qi % pi, pi - 2, pi);
            }
            x %= q;
            BigInteger m = j < expected.Length ? expected[j] : 0;
            BigInteger d = ((t * x - q * m) % tq + tq) % tq;
            if (d > tq / 2)
            {
                d = tq - d;
            }
            max = BigInteger.Max(max, d);
        }
        return max.IsZero ? 0 : BigInteger.Log(max, 2) - p.PlaintextBits;
    }
}
