using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SecureFed.Primitives.Vectors;

namespace SecureFed.Primitives.Prg;

/// <summary>
/// Expands a 32-byte seed into a mask vector mod 2^bits and adds or subtracts it in place
/// (protocol-spec/secagg.md, "Mask PRG"). Word i of the mask is the i-th little-endian word of the AES-256-CTR
/// keystream (nonce = vector index), 4 bytes wide when bits &lt;= 32 and 8 bytes wide otherwise, reduced mod 2^bits
/// by keeping its low bits (uniform, since 2^bits divides 2^32 or 2^64).
/// </summary>
public static class MaskGenerator
{
    private const int ChunkBytes = 32 * 1024;

    /// <summary>Bytes of keystream per element for a modulus of 2^<paramref name="bits"/>.</summary>
    public static int WordBytes(int bits) => bits <= 32 ? 4 : 8;

    /// <summary>
    /// vector[i] = vector[i] + sign * mask[i] mod 2^bits, for the mask of (<paramref name="seed"/>, <paramref name="nonce"/>).
    /// </summary>
    public static void Apply(ReadOnlySpan<byte> seed, ulong nonce, Span<ulong> vector, int bits, bool subtract)
    {
        ModularArithmetic.ValidateBits(bits);
        if (AesNiCtr.CanApplyWords)
        {
            if (seed.Length != AesCtrKeystream.SeedSize)
            {
                throw new ArgumentException($"seed must be {AesCtrKeystream.SeedSize} bytes, got {seed.Length}", nameof(seed));
            }
            using var fused = new AesNiCtr(seed);
            fused.ApplyWords(nonce, vector, ModularArithmetic.Mask(bits), subtract, wide32: bits <= 32);
            return;
        }
        using var stream = new AesCtrKeystream(seed, nonce);
        int wordBytes = WordBytes(bits);
        ulong mask = ModularArithmetic.Mask(bits);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int done = 0;
            while (done < vector.Length)
            {
                int count = Math.Min(vector.Length - done, ChunkBytes / wordBytes);
                int bytes = (count * wordBytes + 15) & ~15;
                Span<byte> ks = buffer.AsSpan(0, bytes);
                stream.Fill(ks);
                Span<ulong> target = vector.Slice(done, count);
                if (wordBytes == 4)
                {
                    ApplyWords32(MemoryMarshal.Cast<byte, uint>(ks)[..count], target, mask, subtract);
                }
                else
                {
                    ApplyWords64(MemoryMarshal.Cast<byte, ulong>(ks)[..count], target, mask, subtract);
                }
                done += count;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }

    /// <summary>Writes the first <c>destination.Length</c> mask words (for test vectors and audits).</summary>
    public static void Expand(ReadOnlySpan<byte> seed, ulong nonce, Span<ulong> destination, int bits)
    {
        destination.Clear();
        Apply(seed, nonce, destination, bits, subtract: false);
    }

    private static void ApplyWords32(ReadOnlySpan<uint> words, Span<ulong> target, ulong mask, bool subtract)
    {
        if (!BitConverter.IsLittleEndian)
        {
            for (int j = 0; j < words.Length; j++)
            {
                ulong w = BinaryPrimitives.ReverseEndianness(words[j]);
                target[j] = (subtract ? target[j] - w : target[j] + w) & mask;
            }
            return;
        }
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // Widen 8 keystream words to two vectors of 4 x u64, add or subtract, reduce: no per-element branches.
            var m = Vector256.Create(mask);
            ref ulong t = ref MemoryMarshal.GetReference(target);
            ref uint w = ref MemoryMarshal.GetReference(words);
            for (; i + 8 <= words.Length; i += 8)
            {
                (Vector256<ulong> lo, Vector256<ulong> hi) = Vector256.Widen(Vector256.LoadUnsafe(ref w, (nuint)i));
                Vector256<ulong> a = Vector256.LoadUnsafe(ref t, (nuint)i);
                Vector256<ulong> b = Vector256.LoadUnsafe(ref t, (nuint)i + 4);
                (subtract ? (a - lo) & m : (a + lo) & m).StoreUnsafe(ref t, (nuint)i);
                (subtract ? (b - hi) & m : (b + hi) & m).StoreUnsafe(ref t, (nuint)i + 4);
            }
        }
        for (; i < words.Length; i++)
        {
            target[i] = (subtract ? target[i] - words[i] : target[i] + words[i]) & mask;
        }
    }

    private static void ApplyWords64(ReadOnlySpan<ulong> words, Span<ulong> target, ulong mask, bool subtract)
    {
        int i = 0;
        if (BitConverter.IsLittleEndian && Vector256.IsHardwareAccelerated)
        {
            var m = Vector256.Create(mask);
            ref ulong t = ref MemoryMarshal.GetReference(target);
            ref ulong w = ref MemoryMarshal.GetReference(words);
            for (; i + 4 <= words.Length; i += 4)
            {
                Vector256<ulong> a = Vector256.LoadUnsafe(ref t, (nuint)i);
                Vector256<ulong> k = Vector256.LoadUnsafe(ref w, (nuint)i);
                (subtract ? (a - k) & m : (a + k) & m).StoreUnsafe(ref t, (nuint)i);
            }
        }
        for (; i < words.Length; i++)
        {
            ulong w = BitConverter.IsLittleEndian ? words[i] : BinaryPrimitives.ReverseEndianness(words[i]);
            target[i] = (subtract ? target[i] - w : target[i] + w) & mask;
        }
    }
}
