using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace SecureFed.Primitives.Prg;

// AES-256 in counter mode on AES-NI, eight blocks interleaved so the AESENC pipeline stays full (the CPU can issue
// a new AESENC every cycle while each takes several to finish). Used by AesCtrKeystream when the CPU has AES-NI;
// AesNiCtrTests checks it block for block against System.Security.Cryptography's AES, and the FIPS 197 vector.
internal sealed class AesNiCtr : IDisposable
{
    internal const int Rounds = 14; // AES-256 (FIPS 197 section 5)
    private readonly Vector128<byte>[] _roundKeys = GC.AllocateArray<Vector128<byte>>(Rounds + 1, pinned: true);

    public static bool IsSupported => X86Aes.IsSupported && Sse2.IsSupported;

    public AesNiCtr(ReadOnlySpan<byte> key)
    {
        ExpandKey(key, _roundKeys);
    }

    // Writes blocks [firstBlock, firstBlock + destination.Length / 16) of the stream for (key, nonce).
    public void Generate(ulong nonce, ulong firstBlock, Span<byte> destination)
    {
        ReadOnlySpan<Vector128<byte>> k = _roundKeys;
        ulong nonceLe = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(nonce);
        Span<Vector128<byte>> output = MemoryMarshal.Cast<byte, Vector128<byte>>(destination);
        int blocks = output.Length;
        int i = 0;
        ulong ctr = firstBlock;
        for (; i + 8 <= blocks; i += 8, ctr += 8)
        {
            Encrypt8(k, nonceLe, ctr, out Vector128<byte> b0, out Vector128<byte> b1, out Vector128<byte> b2, out Vector128<byte> b3,
                out Vector128<byte> b4, out Vector128<byte> b5, out Vector128<byte> b6, out Vector128<byte> b7);
            output[i] = b0;
            output[i + 1] = b1;
            output[i + 2] = b2;
            output[i + 3] = b3;
            output[i + 4] = b4;
            output[i + 5] = b5;
            output[i + 6] = b6;
            output[i + 7] = b7;
        }
        for (; i < blocks; i++, ctr++)
        {
            Vector128<byte> b = Counter(nonceLe, ctr) ^ k[0];
            for (int r = 1; r < Rounds; r++)
            {
                b = X86Aes.Encrypt(b, k[r]);
            }
            output[i] = X86Aes.EncryptLast(b, k[Rounds]);
        }
    }

    // The mask PRG's inner loop with the keystream kept in registers: for i in [0, target.Length), word i of the stream
    // for (key, nonce) from block 0 (4 bytes per word when wide32, else 8) is added to (or subtracted from) target[i],
    // reduced by `mask`. Saves writing and re-reading a keystream buffer; same result as Generate + a scalar loop.
    public void ApplyWords(ulong nonce, Span<ulong> target, ulong mask, bool subtract, bool wide32)
    {
        ReadOnlySpan<Vector128<byte>> k = _roundKeys;
        ulong nonceLe = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(nonce);
        int wordsPerBlock = wide32 ? 4 : 2;
        int wordsPerStep = 8 * wordsPerBlock;
        var m = Vector256.Create(mask);
        ref ulong t = ref MemoryMarshal.GetReference(target);
        int i = 0;
        ulong ctr = 0;
        for (; i + wordsPerStep <= target.Length; i += wordsPerStep, ctr += 8)
        {
            Encrypt8(k, nonceLe, ctr, out Vector128<byte> b0, out Vector128<byte> b1, out Vector128<byte> b2, out Vector128<byte> b3,
                out Vector128<byte> b4, out Vector128<byte> b5, out Vector128<byte> b6, out Vector128<byte> b7);
            if (wide32)
            {
                Add4(ref t, i, b0, m, subtract);
                Add4(ref t, i + 4, b1, m, subtract);
                Add4(ref t, i + 8, b2, m, subtract);
                Add4(ref t, i + 12, b3, m, subtract);
                Add4(ref t, i + 16, b4, m, subtract);
                Add4(ref t, i + 20, b5, m, subtract);
                Add4(ref t, i + 24, b6, m, subtract);
                Add4(ref t, i + 28, b7, m, subtract);
            }
            else
            {
                Add2x2(ref t, i, b0, b1, m, subtract);
                Add2x2(ref t, i + 4, b2, b3, m, subtract);
                Add2x2(ref t, i + 8, b4, b5, m, subtract);
                Add2x2(ref t, i + 12, b6, b7, m, subtract);
            }
        }
        if (i == target.Length)
        {
            return;
        }
        // Tail: fewer than eight blocks' worth of words.
        Span<byte> tail = stackalloc byte[8 * 16];
        Generate(nonce, ctr, tail);
        for (int w = 0; i < target.Length; i++, w++)
        {
            ulong x = wide32 ? MemoryMarshal.Read<uint>(tail[(4 * w)..]) : MemoryMarshal.Read<ulong>(tail[(8 * w)..]);
            target[i] = (subtract ? target[i] - x : target[i] + x) & mask;
        }
        CryptographicOperations.ZeroMemory(tail);
    }

    // target[i..i+4) +-= the block's four little-endian u32 words, zero-extended, then reduced.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add4(ref ulong t, int i, Vector128<byte> block, Vector256<ulong> m, bool subtract)
    {
        Vector256<ulong> w = Avx2.ConvertToVector256Int64(block.AsUInt32()).AsUInt64();
        Vector256<ulong> a = Vector256.LoadUnsafe(ref t, (nuint)i);
        (subtract ? (a - w) & m : (a + w) & m).StoreUnsafe(ref t, (nuint)i);
    }

    // target[i..i+4) +-= the two blocks' four little-endian u64 words, then reduced.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add2x2(ref ulong t, int i, Vector128<byte> lo, Vector128<byte> hi, Vector256<ulong> m, bool subtract)
    {
        Vector256<ulong> w = Vector256.Create(lo.AsUInt64(), hi.AsUInt64());
        Vector256<ulong> a = Vector256.LoadUnsafe(ref t, (nuint)i);
        (subtract ? (a - w) & m : (a + w) & m).StoreUnsafe(ref t, (nuint)i);
    }

    public static bool CanApplyWords => IsSupported && Avx2.IsSupported && BitConverter.IsLittleEndian;

    // Blocks ctr .. ctr + 7, interleaved round by round.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Encrypt8(ReadOnlySpan<Vector128<byte>> k, ulong nonceLe, ulong ctr,
        out Vector128<byte> b0, out Vector128<byte> b1, out Vector128<byte> b2, out Vector128<byte> b3,
        out Vector128<byte> b4, out Vector128<byte> b5, out Vector128<byte> b6, out Vector128<byte> b7)
    {
        b0 = Counter(nonceLe, ctr) ^ k[0];
        b1 = Counter(nonceLe, ctr + 1) ^ k[0];
        b2 = Counter(nonceLe, ctr + 2) ^ k[0];
        b3 = Counter(nonceLe, ctr + 3) ^ k[0];
        b4 = Counter(nonceLe, ctr + 4) ^ k[0];
        b5 = Counter(nonceLe, ctr + 5) ^ k[0];
        b6 = Counter(nonceLe, ctr + 6) ^ k[0];
        b7 = Counter(nonceLe, ctr + 7) ^ k[0];
        for (int r = 1; r < Rounds; r++)
        {
            Vector128<byte> rk = k[r];
            b0 = X86Aes.Encrypt(b0, rk);
            b1 = X86Aes.Encrypt(b1, rk);
            b2 = X86Aes.Encrypt(b2, rk);
            b3 = X86Aes.Encrypt(b3, rk);
            b4 = X86Aes.Encrypt(b4, rk);
            b5 = X86Aes.Encrypt(b5, rk);
            b6 = X86Aes.Encrypt(b6, rk);
            b7 = X86Aes.Encrypt(b7, rk);
        }
        Vector128<byte> last = k[Rounds];
        b0 = X86Aes.EncryptLast(b0, last);
        b1 = X86Aes.EncryptLast(b1, last);
        b2 = X86Aes.EncryptLast(b2, last);
        b3 = X86Aes.EncryptLast(b3, last);
        b4 = X86Aes.EncryptLast(b4, last);
        b5 = X86Aes.EncryptLast(b5, last);
        b6 = X86Aes.EncryptLast(b6, last);
        b7 = X86Aes.EncryptLast(b7, last);
    }

    // Counter block BE64(nonce) || BE64(ctr) as a vector (x86 is little-endian: byte-swap each half).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<byte> Counter(ulong nonceLe, ulong ctr) =>
        Vector128.Create(nonceLe, System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(ctr)).AsByte();

    // FIPS 197 section 5.2 key expansion for 256-bit keys, using AESKEYGENASSIST for SubWord(RotWord(w)) ^ Rcon.
    internal static void ExpandKey(ReadOnlySpan<byte> key, Span<Vector128<byte>> ks)
    {
        Vector128<byte> t1 = Vector128.Create(key[..16]);
        Vector128<byte> t3 = Vector128.Create(key[16..32]);
        ks[0] = t1;
        ks[1] = t3;
        // Rcon values 0x01 .. 0x40 must be instruction immediates, hence the unrolled steps.
        t1 = Mix(t1, Sse2.Shuffle(X86Aes.KeygenAssist(t3, 0x01).AsInt32(), 0xFF).AsByte()); ks[2] = t1; t3 = Odd(t1, t3); ks[3] = t3;
        t1 = Mix(t1, Sse2.Shuffle(X86Aes.KeygenAssist(t3, 0x02).AsInt32(), 0xFF).AsByte()); ks[4] = t1; t3 = Odd(t1, t3); ks[5] = t3;
        t1 = Mix(t1, Sse2.Shuffle(X86Aes.KeygenAssist(t3, 0x04).AsInt32(), 0xFF).AsByte()); ks[6] = t1; t3 = Odd(t1, t3); ks[7] = t3;
        t1 = Mix(t1, Sse2.Shuffle(X86Aes.KeygenAssist(t3, 0x08).AsInt32(), 0xFF).AsByte()); ks[8] = t1; t3 = Odd(t1, t3); ks[9] = t3;
        t1 = Mix(t1, Sse2.Shuffle(X86Aes.KeygenAssist(t3, 0x10).AsInt32(), 0xFF).AsByte()); ks[10] = t1; t3 = Odd(t1, t3); ks[11] = t3;
        t1 = Mix(t1, Sse2.Shuffle(X86Aes.KeygenAssist(t3, 0x20).AsInt32(), 0xFF).AsByte()); ks[12] = t1; t3 = Odd(t1, t3); ks[13] = t3;
        t1 = Mix(t1, Sse2.Shuffle(X86Aes.KeygenAssist(t3, 0x40).AsInt32(), 0xFF).AsByte()); ks[14] = t1;
    }

    // Odd-numbered round keys: SubWord of the last word, no rotation, no Rcon.
    private static Vector128<byte> Odd(Vector128<byte> t1, Vector128<byte> t3) =>
        Mix(t3, Sse2.Shuffle(X86Aes.KeygenAssist(t1, 0x00).AsInt32(), 0xAA).AsByte());

    // w ^= w << 32 ^ w << 64 ^ w << 96, then ^= the assisted word broadcast.
    private static Vector128<byte> Mix(Vector128<byte> w, Vector128<byte> assisted)
    {
        Vector128<byte> t = Sse2.ShiftLeftLogical128BitLane(w, 4);
        w ^= t;
        t = Sse2.ShiftLeftLogical128BitLane(t, 4);
        w ^= t;
        t = Sse2.ShiftLeftLogical128BitLane(t, 4);
        w ^= t;
        return w ^ assisted;
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_roundKeys.AsSpan()));
}
