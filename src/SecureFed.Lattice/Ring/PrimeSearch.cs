namespace SecureFed.Lattice.Ring;

/// <summary>
/// Primality testing and generation of NTT-friendly primes p = 1 mod 2N (so Z_p holds a primitive 2N-th root of
/// unity and X^N + 1 splits into linear factors).
/// </summary>
public static class PrimeSearch
{
    // The first twelve primes as Miller-Rabin bases are a deterministic test for every n < 3.3 * 10^24
    // (Sorenson and Webster 2015), which covers all 64-bit integers.
    private static readonly ulong[] Bases = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37];

    /// <summary>Deterministic Miller-Rabin primality test for any 64-bit integer.</summary>
    public static bool IsPrime(ulong n)
    {
        if (n < 2)
        {
            return false;
        }
        foreach (ulong b in Bases)
        {
            if (n % b == 0)
            {
                return n == b;
            }
        }
        ulong d = n - 1;
        int s = 0;
        while ((d & 1) == 0)
        {
            d >>= 1;
            s++;
        }
        foreach (ulong a in Bases)
        {
            ulong x = PowSlow(a, d, n);
            if (x == 1 || x == n - 1)
            {
                continue;
            }
            bool composite = true;
            for (int r = 1; r < s; r++)
            {
                x = (ulong)((UInt128)x * x % n);
                if (x == n - 1)
                {
                    composite = false;
                    break;
                }
            }
            if (composite)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>True when <paramref name="p"/> is a prime below 2^60 with p = 1 mod 2N.</summary>
    public static bool IsNttPrime(ulong p, int degree) =>
        degree >= 2 && (degree & (degree - 1)) == 0 && p < 1UL << Modulus.MaxBits && p % (2UL * (ulong)degree) == 1 && IsPrime(p);

    /// <summary>
    /// The <paramref name="count"/> largest primes of exactly <paramref name="bits"/> bits with p = 1 mod 2N,
    /// in descending order, skipping any in <paramref name="exclude"/> (the rule SEAL's CoeffModulus.Create uses).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">bits outside [log2(2N)+2, 60] or degree not a power of two.</exception>
    /// <exception cref="InvalidOperationException">Fewer than <paramref name="count"/> such primes exist.</exception>
    public static IReadOnlyList<ulong> NttPrimes(int bits, int degree, int count, IEnumerable<ulong>? exclude = null)
    {
        if (degree < 2 || (degree & (degree - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(degree), "degree must be a power of two >= 2");
        }
        ulong step = 2UL * (ulong)degree;
        if (bits > Modulus.MaxBits || (1UL << bits) <= 2 * step)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), $"prime size must be at most {Modulus.MaxBits} bits and exceed 4N");
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var skip = new HashSet<ulong>(exclude ?? []);
        var found = new List<ulong>(count);
        ulong lower = 1UL << (bits - 1);
        // Largest candidate k*2N + 1 below 2^bits.
        ulong candidate = ((1UL << bits) - 1) / step * step + 1;
        if (candidate >= 1UL << bits)
        {
            candidate -= step;
        }
        while (found.Count < count && candidate > lower)
        {
            if (!skip.Contains(candidate) && IsPrime(candidate))
            {
                found.Add(candidate);
            }
            candidate -= step;
        }
        if (found.Count < count)
        {
            throw new InvalidOperationException($"only {found.Count} primes of {bits} bits are 1 mod {step}");
        }
        return found;
    }

    private static ulong PowSlow(ulong b, ulong e, ulong n)
    {
        UInt128 r = 1, x = b % n;
        while (e != 0)
        {
            if ((e & 1) != 0)
            {
                r = r * x % n;
            }
            x = x * x % n;
            e >>= 1;
        }
        return (ulong)r;
    }
}
