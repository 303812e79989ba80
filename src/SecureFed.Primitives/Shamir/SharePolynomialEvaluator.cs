using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SecureFed.Primitives.Shamir;

// Evaluates the five chunk polynomials of one Shamir split (coefficient j of chunk c at coefficients[j * 5 + c]) at a
// range of holder ids and writes the 40-byte shares. This is the client's hot loop (n holders x t coefficients x 5
// chunks per secret), so Horner's rule runs with lazy reduction: a holder id is below 2^32, which keeps every
// intermediate below 2^63 with one fold per step and one full reduction at the end. The result is the canonical
// residue in [0, p), so the bytes equal those of plain MersenneField arithmetic. No branches or memory accesses
// depend on secret values.
internal static class SharePolynomialEvaluator
{
    private const ulong P = MersenneField.P;

    // Writes the shares of holders to shares (40 bytes each, same order).
    // AggressiveOptimization here and on the loops below: a client calls this twice per round, too rarely for tiered
    // compilation to replace the unoptimised first-tier code before the round is over.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Evaluate(ReadOnlySpan<ulong> coefficients, int t, ReadOnlySpan<uint> holders, Span<byte> shares)
    {
        int i = 0;
        // 256-bit vectors only: on Zen 4 a 512-bit vpmuludq path measured no faster (it runs as two 256-bit halves).
        if (Avx2.IsSupported)
        {
            for (; i + 4 <= holders.Length; i += 4)
            {
                EvaluateFour(coefficients, t, holders.Slice(i, 4), shares.Slice(i * ShamirScheme.ShareSize, 4 * ShamirScheme.ShareSize));
            }
        }
        for (; i < holders.Length; i++)
        {
            EvaluateOne(coefficients, t, holders[i], shares.Slice(i * ShamirScheme.ShareSize, ShamirScheme.ShareSize));
        }
    }

    // One holder, five independent Horner chains (they overlap in the pipeline instead of waiting on one chain).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void EvaluateOne(ReadOnlySpan<ulong> coefficients, int t, ulong x, Span<byte> share)
    {
        ref ulong a = ref MemoryMarshal.GetReference(coefficients);
        ulong y0 = 0, y1 = 0, y2 = 0, y3 = 0, y4 = 0;
        for (int j = t - 1; j >= 0; j--)
        {
            ref ulong aj = ref Unsafe.Add(ref a, j * ShamirScheme.Chunks);
            y0 = Step(y0, x, aj);
            y1 = Step(y1, x, Unsafe.Add(ref aj, 1));
            y2 = Step(y2, x, Unsafe.Add(ref aj, 2));
            y3 = Step(y3, x, Unsafe.Add(ref aj, 3));
            y4 = Step(y4, x, Unsafe.Add(ref aj, 4));
        }
        BinaryPrimitives.WriteUInt64LittleEndian(share, Reduce(y0));
        BinaryPrimitives.WriteUInt64LittleEndian(share[8..], Reduce(y1));
        BinaryPrimitives.WriteUInt64LittleEndian(share[16..], Reduce(y2));
        BinaryPrimitives.WriteUInt64LittleEndian(share[24..], Reduce(y3));
        BinaryPrimitives.WriteUInt64LittleEndian(share[32..], Reduce(y4));
    }

    // y * x + a, lazily reduced. y < 2^63 and x < 2^32 give a product below 2^95, so product >> 61 < 2^34 and the
    // result is below 2^61 + 2^34 + 2^61 < 2^63 again.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Step(ulong y, ulong x, ulong a)
    {
        ulong hi = Math.BigMul(y, x, out ulong lo);
        return (lo & P) + ((hi << 3) | (lo >> 61)) + a;
    }

    // Four holders per 256-bit vector. vpmuludq multiplies 32 x 32 -> 64 bits, so y = yh * 2^32 + yl is multiplied in
    // halves: u = yl * x < 2^64 folds as (u mod 2^61) + (u >> 61); v = yh * x < 2^63 (yh < 2^31) times 2^32 folds as
    // (v >> 29) + (v mod 2^29) * 2^32, since 2^61 = 1 (mod p); (v << 32) & p is that second term. Sum with a: below
    // 3 * 2^61 + 2^34 + 8 < 2^63, the invariant again.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void EvaluateFour(ReadOnlySpan<ulong> coefficients, int t, ReadOnlySpan<uint> holders, Span<byte> shares)
    {
        ref ulong a = ref MemoryMarshal.GetReference(coefficients);
        Vector256<uint> x = Vector256.Create((ulong)holders[0], holders[1], holders[2], holders[3]).AsUInt32();
        Vector256<ulong> y0 = default, y1 = default, y2 = default, y3 = default, y4 = default;
        for (int j = t - 1; j >= 0; j--)
        {
            ref ulong aj = ref Unsafe.Add(ref a, j * ShamirScheme.Chunks);
            y0 = Step(y0, x, Vector256.Create(aj));
            y1 = Step(y1, x, Vector256.Create(Unsafe.Add(ref aj, 1)));
            y2 = Step(y2, x, Vector256.Create(Unsafe.Add(ref aj, 2)));
            y3 = Step(y3, x, Vector256.Create(Unsafe.Add(ref aj, 3)));
            y4 = Step(y4, x, Vector256.Create(Unsafe.Add(ref aj, 4)));
        }
        Store(y0, y1, y2, y3, y4, shares);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Step(Vector256<ulong> y, Vector256<uint> x, Vector256<ulong> a)
    {
        Vector256<ulong> u = Avx2.Multiply(y.AsUInt32(), x);
        Vector256<ulong> v = Avx2.Multiply(Vector256.ShiftRightLogical(y, 32).AsUInt32(), x);
        Vector256<ulong> p = Vector256.Create(P);
        return (u & p) + Vector256.ShiftRightLogical(u, 61) + Vector256.ShiftRightLogical(v, 29) + (Vector256.ShiftLeft(v, 32) & p) + a;
    }

    // Lane k of chunk vector c is holder k's evaluation c: share k, bytes c*8 .. c*8+8.
    private static void Store(Vector256<ulong> y0, Vector256<ulong> y1, Vector256<ulong> y2, Vector256<ulong> y3, Vector256<ulong> y4, Span<byte> shares)
    {
        for (int k = 0; k < 4; k++)
        {
            Span<byte> share = shares.Slice(k * ShamirScheme.ShareSize, ShamirScheme.ShareSize);
            BinaryPrimitives.WriteUInt64LittleEndian(share, Reduce(y0.GetElement(k)));
            BinaryPrimitives.WriteUInt64LittleEndian(share[8..], Reduce(y1.GetElement(k)));
            BinaryPrimitives.WriteUInt64LittleEndian(share[16..], Reduce(y2.GetElement(k)));
            BinaryPrimitives.WriteUInt64LittleEndian(share[24..], Reduce(y3.GetElement(k)));
            BinaryPrimitives.WriteUInt64LittleEndian(share[32..], Reduce(y4.GetElement(k)));
        }
    }

    // y < 2^63 to the canonical residue: one fold leaves at most p + 3, then a masked subtraction of p.
    private static ulong Reduce(ulong y)
    {
        y = (y & P) + (y >> 61);
        ulong ge = (ulong)-(long)((y - P) >> 63 ^ 1);
        return y - (P & ge);
    }
}
