using System.Runtime.Intrinsics;

namespace SecureFed.Lattice.Ring;

/// <summary>Coefficient-wise operations on residue arrays modulo one prime (vectorised where it pays).</summary>
internal static class PolyArith
{
    /// <summary>a[i] = (a[i] + b[i]) mod p; inputs in [0, p).</summary>
    public static void AddInPlace(Span<ulong> a, ReadOnlySpan<ulong> b, ulong p)
    {
        if (b.Length < a.Length)
        {
            throw new ArgumentException("length mismatch", nameof(b));
        }
        int i = 0;
        int n = a.Length;
        // min(s, s - p) as unsigned: when s < p the subtraction wraps above 2^63 and min keeps s.
        if (Vector512.IsHardwareAccelerated)
        {
            var vp = Vector512.Create(p);
            for (; i + 8 <= n; i += 8)
            {
                var s = Vector512.Create(a.Slice(i, 8)) + Vector512.Create(b.Slice(i, 8));
                Vector512.Min(s, s - vp).CopyTo(a.Slice(i, 8));
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var vp = Vector256.Create(p);
            for (; i + 4 <= n; i += 4)
            {
                var s = Vector256.Create(a.Slice(i, 4)) + Vector256.Create(b.Slice(i, 4));
                Vector256.Min(s, s - vp).CopyTo(a.Slice(i, 4));
            }
        }
        for (; i < n; i++)
        {
            a[i] = ModArith.Add(a[i], b[i], p);
        }
    }

    /// <summary>a[i] = (a[i] - b[i]) mod p; inputs in [0, p).</summary>
    public static void SubInPlace(Span<ulong> a, ReadOnlySpan<ulong> b, ulong p)
    {
        if (b.Length < a.Length)
        {
            throw new ArgumentException("length mismatch", nameof(b));
        }
        int i = 0;
        int n = a.Length;
        if (Vector512.IsHardwareAccelerated)
        {
            var vp = Vector512.Create(p);
            for (; i + 8 <= n; i += 8)
            {
                var d = Vector512.Create(a.Slice(i, 8)) - Vector512.Create(b.Slice(i, 8));
                Vector512.Min(d, d + vp).CopyTo(a.Slice(i, 8));
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var vp = Vector256.Create(p);
            for (; i + 4 <= n; i += 4)
            {
                var d = Vector256.Create(a.Slice(i, 4)) - Vector256.Create(b.Slice(i, 4));
                Vector256.Min(d, d + vp).CopyTo(a.Slice(i, 4));
            }
        }
        for (; i < n; i++)
        {
            a[i] = ModArith.Sub(a[i], b[i], p);
        }
    }

    /// <summary>dst[i] = x[i] * w[i] mod p with Shoup quotients of the fixed operand w.</summary>
    public static void MulShoup(ReadOnlySpan<ulong> x, ReadOnlySpan<ulong> w, ReadOnlySpan<ulong> wShoup, Span<ulong> dst, ulong p)
    {
        int n = dst.Length;
        if (x.Length < n || w.Length < n || wShoup.Length < n)
        {
            throw new ArgumentException("length mismatch", nameof(x));
        }
        int i = 0;
        if (Vector512Arith.IsSupported)
        {
            var vp = Vector512.Create(p);
            for (; i + 8 <= n; i += 8)
            {
                var ws = Vector512.Create(wShoup.Slice(i, 8));
                var r = Vector512Arith.MulShoupLazy(Vector512.Create(x.Slice(i, 8)), Vector512.Create(w.Slice(i, 8)), ws, Vector512.ShiftRightLogical(ws, 32), vp);
                Vector512Arith.ReduceOnce(r, vp).CopyTo(dst.Slice(i, 8));
            }
        }
        for (; i < n; i++)
        {
            dst[i] = ModArith.MulShoup(x[i], w[i], wShoup[i], p);
        }
    }

    /// <summary>Shoup quotients of every entry of <paramref name="w"/>.</summary>
    public static void ShoupQuotients(ReadOnlySpan<ulong> w, Span<ulong> dst, ulong p)
    {
        for (int i = 0; i < w.Length; i++)
        {
            dst[i] = ModArith.ShoupPrecompute(w[i], p);
        }
    }

    /// <summary>dst[i] = a[i] * b[i] mod p (Barrett; neither operand fixed).</summary>
    public static void Mul(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> dst, Modulus m)
    {
        int n = dst.Length;
        if (a.Length < n || b.Length < n)
        {
            throw new ArgumentException("length mismatch", nameof(a));
        }
        for (int i = 0; i < n; i++)
        {
            dst[i] = ModArith.Mul(a[i], b[i], m);
        }
    }
}
