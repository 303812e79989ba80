using System.Numerics;
using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Ring;

namespace SecureFed.Cli.Commands;

// Forward and inverse negacyclic NTT time per prime of a parameter set, in microseconds (median).
internal static class HeBenchNtt
{
    public static IEnumerable<(double ForwardUs, double InverseUs, int Bits)> PerPrime(BfvParameters p, int reps)
    {
        foreach (ulong prime in p.Primes)
        {
            var ntt = new NegacyclicTransform(prime, p.Degree);
            var data = new ulong[p.Degree];
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = (ulong)i * 0x9E3779B97F4A7C15UL % prime;
            }
            double fwd = HeBenchRing.Median(reps, () => ntt.Forward(data)) * 1000;
            double inv = HeBenchRing.Median(reps, () => ntt.Inverse(data)) * 1000;
            yield return (fwd, inv, 64 - BitOperations.LeadingZeroCount(prime));
        }
    }
}
