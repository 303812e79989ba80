using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SecureFed.Lattice.Ring;

/// <summary>
/// Eight-lane versions of the Shoup multiplication for AVX-512 (F + DQ). There is no 64x64-&gt;128 vector
/// multiply, so the high word of x * w' is assembled from four 32x32-&gt;64 products (vpmuludq); the low words
/// come from vpmullq. Reductions use unsigned min(v, v - m), which is v - m exactly when v &gt;= m.
/// </summary>
internal static class Vector512Arith
{
    public static bool IsSupported => Avx512F.IsSupported && Avx512DQ.IsSupported;

    /// <summary>floor(a * b / 2^64) per lane, with b's high halves (b &gt;&gt; 32) supplied by the caller.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> MulHigh(Vector512<ulong> a, Vector512<ulong> b, Vector512<ulong> bHigh)
    {
        Vector512<ulong> aHigh = Vector512.ShiftRightLogical(a, 32);
        Vector512<ulong> ll = Avx512F.Multiply(a.AsUInt32(), b.AsUInt32());
        Vector512<ulong> hl = Avx512F.Multiply(aHigh.AsUInt32(), b.AsUInt32());
        Vector512<ulong> lh = Avx512F.Multiply(a.AsUInt32(), bHigh.AsUInt32());
        Vector512<ulong> hh = Avx512F.Multiply(aHigh.AsUInt32(), bHigh.AsUInt32());
        // a*b = hh*2^64 + (hl + lh)*2^32 + ll; split the middle sum so no lane overflows.
        Vector512<ulong> mid1 = hl + Vector512.ShiftRightLogical(ll, 32);
        Vector512<ulong> mid2 = lh + (mid1 & Vector512.Create(0xFFFF_FFFFUL));
        return hh + Vector512.ShiftRightLogical(mid1, 32) + Vector512.ShiftRightLogical(mid2, 32);
    }

    /// <summary>x * w mod p in [0, 2p) (Shoup, lazy), any x &lt; 2^64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> MulShoupLazy(Vector512<ulong> x, Vector512<ulong> w, Vector512<ulong> wShoup, Vector512<ulong> wShoupHigh, Vector512<ulong> p)
    {
        Vector512<ulong> q = MulHigh(x, wShoup, wShoupHigh);
        return Avx512DQ.MultiplyLow(x, w) - Avx512DQ.MultiplyLow(q, p);
    }

    /// <summary>v - m when v &gt;= m, else v (valid while v &lt; 2m &lt;= 2^63).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> ReduceOnce(Vector512<ulong> v, Vector512<ulong> m) => Vector512.Min(v, v - m);
}
