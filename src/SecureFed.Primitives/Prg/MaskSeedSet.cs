using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using SecureFed.Primitives.Vectors;

namespace SecureFed.Primitives.Prg;

/// <summary>
/// Many mask seeds, each with a sign, applied to a vector together: the result equals calling
/// <see cref="MaskGenerator.Apply"/> once per seed (protocol-spec/secagg.md, "Mask PRG"), but the vector is walked
/// once. For each L1-sized chunk, every seed's keystream is summed into a wrapping 32-bit (bits &lt;= 32) or 64-bit
/// accumulator in registers and L1, and only that sum is added into the vector: reducing mod 2^bits at the end is
/// exact because 2^bits divides 2^32 and 2^64. Per seed that leaves the AES work alone, so a client's or the server's
/// masking runs at the keystream rate instead of the memory rate. Chunks are independent and can run on several cores.
/// Holds the expanded AES keys (secret); dispose to wipe them.
/// </summary>
public sealed partial class MaskSeedSet : IDisposable
{
    // 16 KB of accumulators per chunk: well inside a 32 KB L1D beside the round keys.
    private const int ChunkBytes = 16 * 1024;
    private const int KeysPerSeed = AesNiCtr.Rounds + 1;

    // Raw seeds only without AES-NI (the fallback expands them per call); with it, the round keys are all that is kept.
    private readonly byte[]? _seeds;
    private readonly Vector128<byte>[]? _roundKeys;
    private readonly bool[] _subtract;
    private bool _disposed;

    /// <summary>Creates an empty set with room for <paramref name="capacity"/> seeds.</summary>
    public MaskSeedSet(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _subtract = new bool[capacity];
        if (AesNiCtr.CanApplyWords)
        {
            _roundKeys = GC.AllocateArray<Vector128<byte>>(capacity * KeysPerSeed, pinned: true);
        }
        else
        {
            _seeds = GC.AllocateArray<byte>(capacity * AesCtrKeystream.SeedSize, pinned: true);
        }
    }

    /// <summary>Seeds added so far.</summary>
    public int Count { get; private set; }

    /// <summary>Adds the mask of <paramref name="seed"/> (32 bytes), to be added or, when <paramref name="subtract"/>, subtracted.</summary>
    /// <exception cref="ArgumentException">The seed is not 32 bytes.</exception>
    /// <exception cref="InvalidOperationException">The set is full.</exception>
    public void Add(ReadOnlySpan<byte> seed, bool subtract)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (seed.Length != AesCtrKeystream.SeedSize)
        {
            throw new ArgumentException($"seed must be {AesCtrKeystream.SeedSize} bytes, got {seed.Length}", nameof(seed));
        }
        if (Count == _subtract.Length)
        {
            throw new InvalidOperationException($"the set holds at most {_subtract.Length} seeds");
        }
        Set(Count, seed, subtract);
        Count++;
    }

    /// <summary>
    /// Writes seed <paramref name="index"/> (0 &lt;= index &lt; capacity) in place, so several threads can fill
    /// distinct slots; <see cref="Count"/> must then be set with <see cref="SetCount"/> before applying.
    /// </summary>
    public void Set(int index, ReadOnlySpan<byte> seed, bool subtract)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _subtract.Length);
        if (seed.Length != AesCtrKeystream.SeedSize)
        {
            throw new ArgumentException($"seed must be {AesCtrKeystream.SeedSize} bytes, got {seed.Length}", nameof(seed));
        }
        _subtract[index] = subtract;
        if (_roundKeys is not null)
        {
            AesNiCtr.ExpandKey(seed, _roundKeys.AsSpan(index * KeysPerSeed, KeysPerSeed));
        }
        else
        {
            seed.CopyTo(_seeds!.AsSpan(index * AesCtrKeystream.SeedSize));
        }
    }

    /// <summary>Declares slots [0, <paramref name="count"/>) filled (after <see cref="Set"/>).</summary>
    public void SetCount(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _subtract.Length);
        Count = count;
    }

    /// <summary>
    /// vector[i] = vector[i] + sum over seeds of (+/-) mask[i] mod 2^bits, for the masks with this <paramref name="nonce"/>
    /// (the vector index), using up to <paramref name="maxDegreeOfParallelism"/> threads.
    /// </summary>
    public void ApplyTo(ulong nonce, Span<ulong> vector, int bits, int maxDegreeOfParallelism = 1)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ModularArithmetic.ValidateBits(bits);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDegreeOfParallelism, 1);
        if (vector.IsEmpty || Count == 0)
        {
            return;
        }
        if (_roundKeys is null)
        {
            ApplyEachSeed(nonce, vector, bits);
            return;
        }
        Run(nonce, vector, [], bits, maxDegreeOfParallelism);
    }

    /// <summary>True when <see cref="MaskInto"/> takes this width: elements of 4 bytes (25 to 32 bits) or 8 (57 to 64).</summary>
    public static bool CanMaskInto(int bits) => bits is >= 25 and <= 32 or >= 57 and <= 64;

    /// <summary>
    /// Writes the masked <paramref name="vector"/> (as <see cref="ApplyTo"/> would leave it) into
    /// <paramref name="destination"/> as little-endian elements of 4 bytes (bits &lt;= 32) or 8, the wire encoding of a
    /// masked input, in the same pass over the vector: the masked words are not stored back and the vector is left as
    /// it was. What a client sends is this encoding, so masking in place and then encoding read and wrote the vector
    /// twice, the second time on one core.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="bits"/> is not one of <see cref="CanMaskInto"/>'s widths, or
    /// <paramref name="destination"/> is not exactly the vector's encoding long.</exception>
    public void MaskInto(ulong nonce, ReadOnlySpan<ulong> vector, Span<byte> destination, int bits, int maxDegreeOfParallelism = 1)
    {
        ValidateMaskInto(vector.Length, destination.Length, bits, maxDegreeOfParallelism);
        if (UsesReferencePath)
        {
            MaskIntoByReference(nonce, vector, destination, bits);
        }
        else if (!vector.IsEmpty)
        {
            Run(nonce, vector, destination, bits, maxDegreeOfParallelism);
        }
    }

    // Without AES-NI (or seeds, or on a big-endian machine) MaskInto takes the reference path.
    private bool UsesReferencePath => _roundKeys is null || Count == 0 || !BitConverter.IsLittleEndian;

    private void ValidateMaskInto(int length, int destinationLength, int bits, int maxDegreeOfParallelism)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDegreeOfParallelism, 1);
        if (!CanMaskInto(bits))
        {
            throw new ArgumentException($"masking into an encoding takes 4- or 8-byte elements (25 to 32 or 57 to 64 bits), got {bits} bits", nameof(bits));
        }
        int elementBytes = bits <= 32 ? 4 : 8;
        if (destinationLength != (long)length * elementBytes)
        {
            throw new ArgumentException($"the encoding of {length} elements is {(long)length * elementBytes} bytes, got {destinationLength}", "destination");
        }
    }

    // The reference path on a copy, then the same encoding.
    private void MaskIntoByReference(ulong nonce, ReadOnlySpan<ulong> vector, Span<byte> destination, int bits)
    {
        ulong[] copy = ArrayPool<ulong>.Shared.Rent(vector.Length);
        try
        {
            Span<ulong> masked = copy.AsSpan(0, vector.Length);
            vector.CopyTo(masked);
            ApplyEachSeed(nonce, masked, bits);
            ModularArithmetic.Encode(masked, bits).CopyTo(destination); // masked words: what goes on the wire
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(copy, clearArray: true);
        }
    }

    private void ApplyEachSeed(ulong nonce, Span<ulong> vector, int bits)
    {
        for (int k = 0; k < Count; k++)
        {
            MaskGenerator.Apply(_seeds is null ? throw new InvalidOperationException("no raw seeds kept") : _seeds.AsSpan(k * AesCtrKeystream.SeedSize, AesCtrKeystream.SeedSize),
                nonce, vector, bits, _subtract[k]);
        }
    }

    // The chunked walk with AES-NI: into the vector itself when `destination` is empty, else into its encoding.
    private unsafe void Run(ulong nonce, ReadOnlySpan<ulong> vector, Span<byte> destination, int bits, int maxDegreeOfParallelism)
    {
        bool wide32 = bits <= 32;
        (int chunkElements, int chunks) = Partition(vector.Length, wide32, maxDegreeOfParallelism);
        ulong mask = ModularArithmetic.Mask(bits);
        fixed (ulong* start = vector)
        fixed (byte* encoded = destination)
        {
            // The spans are pinned for the whole (synchronous) call, so worker threads may address them by pointer.
            var target = new ChunkTarget(start, vector.Length, destination.IsEmpty ? null : encoded);
            if (maxDegreeOfParallelism == 1 || chunks == 1)
            {
                byte[] acc = ArrayPool<byte>.Shared.Rent(ChunkBytes);
                try
                {
                    for (int c = 0; c < chunks; c++)
                    {
                        ApplyChunk(target, c * chunkElements, chunkElements, nonce, mask, wide32, acc);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(acc, clearArray: true);
                }
                return;
            }
            Parallel.For(
                0,
                chunks,
                new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
                () => ArrayPool<byte>.Shared.Rent(ChunkBytes),
                (c, _, acc) =>
                {
                    ApplyChunk(target, (int)c * chunkElements, chunkElements, nonce, mask, wide32, acc);
                    return acc;
                },
                acc => ArrayPool<byte>.Shared.Return(acc, clearArray: true));
        }
    }

    // Chunks of at most ChunkBytes of accumulators. On several threads, the chunk count is rounded up to a multiple of
    // the thread count and the elements are spread evenly over the chunks: 100,000 32-bit values are 25 full chunks,
    // so one of two threads ran a chunk alone at the end (4% of the walk idle on the other core); as 26 chunks of
    // 3,872 elements the threads end within one short chunk of each other. A chunk starts at a multiple of eight AES
    // blocks (32 or 16 words) and each word's keystream is fixed by its index, so the sums do not depend on the split.
    private static (int ChunkElements, int Chunks) Partition(int length, bool wide32, int threads)
    {
        int maxElements = ChunkBytes / (wide32 ? 4 : 8);
        int chunks = (length + maxElements - 1) / maxElements;
        if (threads == 1 || chunks == 1)
        {
            return (maxElements, chunks);
        }
        int align = wide32 ? 32 : 16;
        int target = (chunks + threads - 1) / threads * threads;
        int elements = ((length + target - 1) / target + align - 1) / align * align;
        return (elements, (length + elements - 1) / elements);
    }

    // The vector and, when masking into an encoding, where its element 0 goes (null: in place).
    private readonly unsafe struct ChunkTarget(ulong* start, int length, byte* encoded)
    {
        public readonly ulong* Start = start;
        public readonly int Length = length;
        public readonly byte* Encoded = encoded;
    }

    // One chunk: sum every seed's keystream words for elements [first, first + chunkElements) into acc, then add acc
    // into the vector. first is a multiple of 32 (wide32) or 16 words, i.e. of eight AES blocks.
    private unsafe void ApplyChunk(ChunkTarget target, int first, int chunkElements, ulong nonce, ulong mask, bool wide32, byte[] accBytes)
    {
        int count = Math.Min(chunkElements, target.Length - first);
        int wordsPerGroup = wide32 ? 32 : 16;
        int groups = (count + wordsPerGroup - 1) / wordsPerGroup;
        Span<Vector128<byte>> acc = MemoryMarshal.Cast<byte, Vector128<byte>>(accBytes.AsSpan(0, groups * 128));
        acc.Clear();
        ulong firstBlock = (ulong)first / (wide32 ? 4UL : 2UL);
        ulong nonceLe = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(nonce);
        ReadOnlySpan<Vector128<byte>> allKeys = _roundKeys;
        for (int k = 0; k < Count; k++)
        {
            ReadOnlySpan<Vector128<byte>> rk = allKeys.Slice(k * KeysPerSeed, KeysPerSeed);
            if (wide32)
            {
                Accumulate32(rk, nonceLe, firstBlock, acc, _subtract[k]);
            }
            else
            {
                Accumulate64(rk, nonceLe, firstBlock, acc, _subtract[k]);
            }
        }
        ulong* v = target.Start + first;
        if (target.Encoded is not null)
        {
            if (wide32)
            {
                AddEncode32(MemoryMarshal.Cast<Vector128<byte>, uint>(acc), v, (uint*)target.Encoded + first, count, mask);
            }
            else
            {
                AddInto64(MemoryMarshal.Cast<Vector128<byte>, ulong>(acc), v, (ulong*)target.Encoded + first, count, mask);
            }
        }
        else if (wide32)
        {
            AddInto32(MemoryMarshal.Cast<Vector128<byte>, uint>(acc), v, count, mask);
        }
        else
        {
            AddInto64(MemoryMarshal.Cast<Vector128<byte>, ulong>(acc), v, v, count, mask);
        }
    }

    // acc (as u32 lanes) +-= the keystream blocks firstBlock .. firstBlock + 8 * groups - 1.
    private static void Accumulate32(ReadOnlySpan<Vector128<byte>> rk, ulong nonceLe, ulong firstBlock, Span<Vector128<byte>> acc, bool subtract)
    {
        ref Vector128<uint> a = ref Unsafe.As<Vector128<byte>, Vector128<uint>>(ref MemoryMarshal.GetReference(acc));
        ulong ctr = firstBlock;
        for (int i = 0; i < acc.Length; i += 8, ctr += 8)
        {
            AesNiCtr.Encrypt8(rk, nonceLe, ctr, out var b0, out var b1, out var b2, out var b3, out var b4, out var b5, out var b6, out var b7);
            if (subtract)
            {
                Unsafe.Add(ref a, i) -= b0.AsUInt32();
                Unsafe.Add(ref a, i + 1) -= b1.AsUInt32();
                Unsafe.Add(ref a, i + 2) -= b2.AsUInt32();
                Unsafe.Add(ref a, i + 3) -= b3.AsUInt32();
                Unsafe.Add(ref a, i + 4) -= b4.AsUInt32();
                Unsafe.Add(ref a, i + 5) -= b5.AsUInt32();
                Unsafe.Add(ref a, i + 6) -= b6.AsUInt32();
                Unsafe.Add(ref a, i + 7) -= b7.AsUInt32();
            }
            else
            {
                Unsafe.Add(ref a, i) += b0.AsUInt32();
                Unsafe.Add(ref a, i + 1) += b1.AsUInt32();
                Unsafe.Add(ref a, i + 2) += b2.AsUInt32();
                Unsafe.Add(ref a, i + 3) += b3.AsUInt32();
                Unsafe.Add(ref a, i + 4) += b4.AsUInt32();
                Unsafe.Add(ref a, i + 5) += b5.AsUInt32();
                Unsafe.Add(ref a, i + 6) += b6.AsUInt32();
                Unsafe.Add(ref a, i + 7) += b7.AsUInt32();
            }
        }
    }

    // acc (as u64 lanes) +-= the keystream blocks, two little-endian u64 words per block.
    private static void Accumulate64(ReadOnlySpan<Vector128<byte>> rk, ulong nonceLe, ulong firstBlock, Span<Vector128<byte>> acc, bool subtract)
    {
        ref Vector128<ulong> a = ref Unsafe.As<Vector128<byte>, Vector128<ulong>>(ref MemoryMarshal.GetReference(acc));
        ulong ctr = firstBlock;
        for (int i = 0; i < acc.Length; i += 8, ctr += 8)
        {
            AesNiCtr.Encrypt8(rk, nonceLe, ctr, out var b0, out var b1, out var b2, out var b3, out var b4, out var b5, out var b6, out var b7);
            if (subtract)
            {
                Unsafe.Add(ref a, i) -= b0.AsUInt64();
                Unsafe.Add(ref a, i + 1) -= b1.AsUInt64();
                Unsafe.Add(ref a, i + 2) -= b2.AsUInt64();
                Unsafe.Add(ref a, i + 3) -= b3.AsUInt64();
                Unsafe.Add(ref a, i + 4) -= b4.AsUInt64();
                Unsafe.Add(ref a, i + 5) -= b5.AsUInt64();
                Unsafe.Add(ref a, i + 6) -= b6.AsUInt64();
                Unsafe.Add(ref a, i + 7) -= b7.AsUInt64();
            }
            else
            {
                Unsafe.Add(ref a, i) += b0.AsUInt64();
                Unsafe.Add(ref a, i + 1) += b1.AsUInt64();
                Unsafe.Add(ref a, i + 2) += b2.AsUInt64();
                Unsafe.Add(ref a, i + 3) += b3.AsUInt64();
                Unsafe.Add(ref a, i + 4) += b4.AsUInt64();
                Unsafe.Add(ref a, i + 5) += b5.AsUInt64();
                Unsafe.Add(ref a, i + 6) += b6.AsUInt64();
                Unsafe.Add(ref a, i + 7) += b7.AsUInt64();
            }
        }
    }

    private static unsafe void AddInto32(ReadOnlySpan<uint> acc, ulong* v, int count, ulong mask)
    {
        var m = Vector256.Create(mask);
        int i = 0;
        ref uint a = ref MemoryMarshal.GetReference(acc);
        for (; i + 8 <= count; i += 8)
        {
            (Vector256<ulong> lo, Vector256<ulong> hi) = Vector256.Widen(Vector256.LoadUnsafe(ref a, (nuint)i));
            ((Vector256.Load(v + i) + lo) & m).Store(v + i);
            ((Vector256.Load(v + i + 4) + hi) & m).Store(v + i + 4);
        }
        for (; i < count; i++)
        {
            v[i] = (v[i] + acc[i]) & mask;
        }
    }

    // d[i] = (v[i] + acc[i]) mod 2^bits as a 32-bit word (bits <= 32; little-endian, as the caller checked).
    private static unsafe void AddEncode32(ReadOnlySpan<uint> acc, ulong* v, uint* d, int count, ulong mask)
    {
        var m = Vector256.Create((uint)mask);
        int i = 0;
        ref uint a = ref MemoryMarshal.GetReference(acc);
        for (; i + 8 <= count; i += 8)
        {
            // The low 32 bits of v + acc are the sum of the low halves, so narrowing first gives the same words.
            Vector256<uint> words = Vector256.Narrow(Vector256.Load(v + i), Vector256.Load(v + i + 4));
            ((words + Vector256.LoadUnsafe(ref a, (nuint)i)) & m).Store(d + i);
        }
        for (; i < count; i++)
        {
            d[i] = (uint)((v[i] + acc[i]) & mask);
        }
    }

    // d[i] = (v[i] + acc[i]) mod 2^bits (d may be v: in place).
    private static unsafe void AddInto64(ReadOnlySpan<ulong> acc, ulong* v, ulong* d, int count, ulong mask)
    {
        var m = Vector256.Create(mask);
        int i = 0;
        ref ulong a = ref MemoryMarshal.GetReference(acc);
        for (; i + 4 <= count; i += 4)
        {
            ((Vector256.Load(v + i) + Vector256.LoadUnsafe(ref a, (nuint)i)) & m).Store(d + i);
        }
        for (; i < count; i++)
        {
            d[i] = (v[i] + acc[i]) & mask;
        }
    }

    /// <summary>Wipes the seeds and expanded keys.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (_seeds is not null)
        {
            CryptographicOperations.ZeroMemory(_seeds);
        }
        if (_roundKeys is not null)
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_roundKeys.AsSpan()));
        }
    }
}
