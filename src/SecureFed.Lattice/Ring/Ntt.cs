using System.Runtime.Intrinsics;

namespace SecureFed.Lattice.Ring;

/// <summary>
/// Negacyclic number-theoretic transform over Z_p[X]/(X^N + 1): forward Cooley-Tukey and inverse
/// Gentleman-Sande with Harvey's lazy butterflies (values kept in [0, 4p) / [0, 2p) between stages; one final
/// reduction) and Shoup multiplication by the precomputed twiddles. Output of the forward transform is in
/// bit-reversed order, which pointwise products do not care about. Inputs and outputs are in [0, p).
/// </summary>
internal static class Ntt
{
    public static unsafe void Forward(Span<ulong> values, NttTables tables)
    {
        int n = tables.Degree;
        if (values.Length != n)
        {
            throw new ArgumentException($"expected {n} coefficients", nameof(values));
        }
        ulong p = tables.Modulus.Value;
        ulong twoP = 2 * p;
        fixed (ulong* a = values)
        fixed (ulong* roots = tables.Roots)
        fixed (ulong* rootsShoup = tables.RootsShoup)
        {
            int t = n;
            for (int m = 1; m < n; m <<= 1)
            {
                t >>= 1;
                if (t >= 8 && Vector512Arith.IsSupported)
                {
                    ForwardStageVector(a, m, t, roots, rootsShoup, p);
                    continue;
                }
                for (int i = 0; i < m; i++)
                {
                    ulong w = roots[m + i];
                    ulong ws = rootsShoup[m + i];
                    ulong* x = a + 2 * i * t;
                    ulong* y = x + t;
                    for (int j = 0; j < t; j++)
                    {
                        ulong u = x[j];
                        ulong r = u - twoP;
                        u = r + (twoP & (ulong)((long)r >> 63)); // [0, 4p) -> [0, 2p)
                        ulong v = y[j];
                        ulong q = Math.BigMul(v, ws, out _);
                        ulong wv = v * w - q * p; // [0, 2p)
                        x[j] = u + wv;
                        y[j] = u - wv + twoP;
                    }
                }
            }
            int start = 0;
            if (Vector512Arith.IsSupported)
            {
                var vp = Vector512.Create(p);
                var v2p = Vector512.Create(twoP);
                for (; start + 8 <= n; start += 8)
                {
                    Vector512Arith.ReduceOnce(Vector512Arith.ReduceOnce(Vector512.Load(a + start), v2p), vp).Store(a + start);
                }
            }
            for (int j = start; j < n; j++)
            {
                ulong u = a[j];
                ulong r = u - twoP;
                u = r + (twoP & (ulong)((long)r >> 63));
                r = u - p;
                a[j] = r + (p & (ulong)((long)r >> 63));
            }
        }
    }

    public static unsafe void Inverse(Span<ulong> values, NttTables tables)
    {
        int n = tables.Degree;
        if (values.Length != n)
        {
            throw new ArgumentException($"expected {n} coefficients", nameof(values));
        }
        ulong p = tables.Modulus.Value;
        ulong twoP = 2 * p;
        fixed (ulong* a = values)
        fixed (ulong* roots = tables.InvRoots)
        fixed (ulong* rootsShoup = tables.InvRootsShoup)
        {
            int t = 1;
            for (int m = n >> 1; m >= 1; m >>= 1)
            {
                if (t >= 8 && Vector512Arith.IsSupported)
                {
                    InverseStageVector(a, m, t, roots, rootsShoup, p);
                    t <<= 1;
                    continue;
                }
                ulong* x = a;
                for (int i = 0; i < m; i++)
                {
                    ulong w = roots[m + i];
                    ulong ws = rootsShoup[m + i];
                    ulong* y = x + t;
                    for (int j = 0; j < t; j++)
                    {
                        ulong u = x[j];
                        ulong v = y[j];
                        ulong s = u + v;
                        ulong r = s - twoP;
                        x[j] = r + (twoP & (ulong)((long)r >> 63)); // [0, 2p)
                        ulong d = u - v + twoP; // [0, 4p)
                        ulong q = Math.BigMul(d, ws, out _);
                        y[j] = d * w - q * p; // [0, 2p)
                    }
                    x += 2 * t;
                }
                t <<= 1;
            }
            ulong inv = tables.InvDegree;
            ulong invShoup = tables.InvDegreeShoup;
            int start = 0;
            if (Vector512Arith.IsSupported)
            {
                var vp = Vector512.Create(p);
                var vinv = Vector512.Create(inv);
                var vinvShoup = Vector512.Create(invShoup);
                var vinvShoupHigh = Vector512.ShiftRightLogical(vinvShoup, 32);
                for (; start + 8 <= n; start += 8)
                {
                    Vector512Arith.ReduceOnce(Vector512Arith.MulShoupLazy(Vector512.Load(a + start), vinv, vinvShoup, vinvShoupHigh, vp), vp).Store(a + start);
                }
            }
            for (int j = start; j < n; j++)
            {
                ulong v = a[j];
                ulong q = Math.BigMul(v, invShoup, out _);
                ulong r = v * inv - q * p - p;
                a[j] = r + (p & (ulong)((long)r >> 63));
            }
        }
    }

    private static unsafe void ForwardStageVector(ulong* a, int m, int t, ulong* roots, ulong* rootsShoup, ulong p)
    {
        var vp = Vector512.Create(p);
        var v2p = Vector512.Create(2 * p);
        for (int i = 0; i < m; i++)
        {
            var w = Vector512.Create(roots[m + i]);
            var ws = Vector512.Create(rootsShoup[m + i]);
            var wsHigh = Vector512.ShiftRightLogical(ws, 32);
            ulong* x = a + 2 * i * t;
            ulong* y = x + t;
            for (int j = 0; j < t; j += 8)
            {
                var u = Vector512Arith.ReduceOnce(Vector512.Load(x + j), v2p);
                var wv = Vector512Arith.MulShoupLazy(Vector512.Load(y + j), w, ws, wsHigh, vp);
                (u + wv).Store(x + j);
                (u - wv + v2p).Store(y + j);
            }
        }
    }

    private static unsafe void InverseStageVector(ulong* a, int m, int t, ulong* roots, ulong* rootsShoup, ulong p)
    {
        var vp = Vector512.Create(p);
        var v2p = Vector512.Create(2 * p);
        ulong* x = a;
        for (int i = 0; i < m; i++)
        {
            var w = Vector512.Create(roots[m + i]);
            var ws = Vector512.Create(rootsShoup[m + i]);
            var wsHigh = Vector512.ShiftRightLogical(ws, 32);
            ulong* y = x + t;
            for (int j = 0; j < t; j += 8)
            {
                var u = Vector512.Load(x + j);
                var v = Vector512.Load(y + j);
                Vector512Arith.ReduceOnce(u + v, v2p).Store(x + j);
                Vector512Arith.MulShoupLazy(u - v + v2p, w, ws, wsHigh, vp).Store(y + j);
            }
            x += 2 * t;
        }
    }
}
