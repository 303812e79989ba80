using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SecureFed.Lattice.Ring;

namespace SecureFed.Lattice.Bfv;

/// <summary>
/// Coefficient encoding (value j of the vector is coefficient j of the plaintext polynomial, so additions are
/// coordinate-wise mod t = 2^bits) and BFV scaling: encode adds Delta*m, decode computes round(t*x/q) mod t.
/// </summary>
internal static class PlaintextCodec
{
    /// <summary>Validates that every value is below t and at most N values are given.</summary>
    public static void Validate(BfvParameters parameters, ReadOnlySpan<ulong> values)
    {
        if (values.Length > parameters.Degree)
        {
            throw new ArgumentException($"at most {parameters.Degree} values fit one ciphertext (got {values.Length})", nameof(values));
        }
        ulong high = ~parameters.PlainMask;
        ulong any = 0;
        foreach (ulong v in values)
        {
            any |= v & high;
        }
        if (any != 0)
        {
            throw new ArgumentException($"values must be below t = 2^{parameters.PlaintextBits}", nameof(values));
        }
    }

    /// <summary>
    /// c0 += round(q*m/t) = Delta*m + floor((r*m + t/2) / t) with Delta = floor(q/t), r = q mod t, so the
    /// encoding error is at most 1/2 (plain Delta*m would leave up to r*m/t &lt; t, which the sum of n
    /// ciphertexts multiplies by n).
    /// </summary>
    public static void AddScaled(BfvParameters parameters, ReadOnlySpan<ulong> values, Span<ulong> c0, int level)
    {
        // Pooled: a fresh array per body was 460 KB of garbage per ciphertext at N = 8192 with 7 bodies (gen0
        // collections and page faults inside every upload). It depends on the plaintext, so it is wiped.
        ulong[]? rented = values.Length <= 512 ? null : ArrayPool<ulong>.Shared.Rent(values.Length);
        Span<ulong> correction = rented is null ? stackalloc ulong[values.Length] : rented.AsSpan(0, values.Length);
        try
        {
            AddScaled(parameters, values, c0, level, correction);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(correction));
            if (rented is not null)
            {
                ArrayPool<ulong>.Shared.Return(rented);
            }
        }
    }

    private static void AddScaled(BfvParameters parameters, ReadOnlySpan<ulong> values, Span<ulong> c0, int level, Span<ulong> correction)
    {
        var ring = parameters.Ring;
        var constants = parameters.Level(level);
        int n = parameters.Degree;
        ulong r = constants.QModT;
        int bits = parameters.PlaintextBits;
        UInt128 halfT = (UInt128)1 << (bits - 1);
        for (int j = 0; j < values.Length; j++)
        {
            correction[j] = (ulong)((Math.BigMul(r, values[j]) + halfT) >> bits);
        }
        for (int i = 0; i < level; i++)
        {
            Modulus m = ring.Moduli[i];
            ulong p = m.Value;
            ulong delta = constants.Delta[i];
            ulong deltaShoup = constants.DeltaShoup[i];
            Span<ulong> c = c0.Slice(i * n, n);
            if (bits < m.BitCount)
            {
                // m and the correction are below t < p: no reduction needed before the Shoup product.
                for (int j = 0; j < values.Length; j++)
                {
                    ulong scaled = ModArith.MulShoupLazy(values[j], delta, deltaShoup, p) + correction[j]; // < 2p + t < 3p
                    c[j] = ModArith.Add(c[j], ModArith.ReduceOnce(ModArith.ReduceOnce(scaled, 2 * p), p), p);
                }
            }
            else
            {
                for (int j = 0; j < values.Length; j++)
                {
                    ulong scaled = ModArith.MulShoup(ModArith.Reduce64(values[j], m), delta, deltaShoup, p);
                    c[j] = ModArith.Add(c[j], ModArith.Add(scaled, ModArith.Reduce64(correction[j], m), p), p);
                }
            }
        }
    }

    /// <summary>
    /// values[j] = round(t * x_j / q) mod t for x given by its residues (Halevi-Polyakov-Shoup style): with
    /// t*qTilde_i/p_i = I_i + F_i, the integer parts are summed mod 2^64 (t divides 2^64) and the fractions in
    /// 64.64 fixed point from 128-bit constants; the approximation error is below L * 2^-63, far inside the
    /// noise margin the budget keeps.
    /// </summary>
    public static void Decode(BfvParameters parameters, ReadOnlySpan<ulong> x, int level, Span<ulong> values)
    {
        var constants = parameters.Level(level);
        int n = parameters.Degree;
        int count = Math.Min(values.Length, n);
        ulong mask = parameters.PlainMask;
        for (int j = 0; j < count; j++)
        {
            ulong whole = 0;
            UInt128 frac = 0;
            for (int i = 0; i < level; i++)
            {
                ulong xi = x[i * n + j];
                whole += xi * constants.ScaleInt[i];
                frac += Math.BigMul(xi, constants.ScaleFracHi[i]);
                frac += Math.BigMul(xi, constants.ScaleFracLo[i], out _);
            }
            // frac is in units of 2^-64; add one half and carry the integer part.
            frac += (UInt128)1 << 63;
            values[j] = (whole + (ulong)(frac >> 64)) & mask;
        }
    }
}
