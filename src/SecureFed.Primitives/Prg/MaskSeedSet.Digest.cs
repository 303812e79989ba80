using System.Buffers;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using SecureFed.Primitives.Concurrency;
using SecureFed.Primitives.Vectors;

namespace SecureFed.Primitives.Prg;

// Masking a client's input into its wire encoding with the rest of what the client does to those bytes in the same
// walk, on the same threads: a client signs SHA-256 of the body (secagg.md 2.2), checks its input is below 2^bits and
// wipes it once masked. Done after the walk, each of these was a pass over the vector or the body on one core while the
// other waited: SHA-256 0.2 ms per 400 KB and 2 ms per 4 MB at this machine's SHA-NI rate (about 2 GB/s), the check
// and the wipe each a read or write of 800 KB (8 MB at 1,000,000 values). Here the hash takes each chunk of the
// encoding as soon as every chunk before it is written, on whichever thread completes it, and each chunk of the input
// is checked and zeroed while it is still in that core's cache.
public sealed partial class MaskSeedSet
{
    /// <summary>
    /// <see cref="MaskInto(ulong, ReadOnlySpan{ulong}, Span{byte}, int, int)"/>, and in the same walk: appends the whole
    /// encoding (the <paramref name="destination"/> bytes, in order) to <paramref name="digest"/>, the same hash as
    /// appending <paramref name="destination"/> afterwards; checks every element of <paramref name="vector"/> is below
    /// 2^<paramref name="bits"/>; and, when <paramref name="wipeVector"/>, zeroes the vector (an unmasked input is secret).
    /// </summary>
    /// <returns>True when every element was below 2^<paramref name="bits"/>; false when one was not: the encoding is then
    /// not the masked input (elements were reduced mod 2^bits) and must not be sent.</returns>
    /// <exception cref="ArgumentException">As <see cref="MaskInto(ulong, ReadOnlySpan{ulong}, Span{byte}, int, int)"/>.</exception>
    public bool MaskIntoAndHash(ulong nonce, Span<ulong> vector, Span<byte> destination, int bits, int maxDegreeOfParallelism, IncrementalHash digest,
        bool wipeVector)
    {
        ArgumentNullException.ThrowIfNull(digest);
        ValidateMaskInto(vector.Length, destination.Length, bits, maxDegreeOfParallelism);
        ulong high = ~ModularArithmetic.Mask(bits);
        if (vector.IsEmpty)
        {
            return true;
        }
        if (UsesReferencePath)
        {
            bool inRange = (OrOf(vector) & high) == 0;
            if (inRange)
            {
                MaskIntoByReference(nonce, vector, destination, bits);
            }
            else
            {
                destination.Clear(); // the reference encoding refuses such elements; nothing of them goes out
            }
            digest.AppendData(destination);
            if (wipeVector)
            {
                CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(vector));
            }
            return inRange;
        }
        return (RunDigested(nonce, vector, destination, bits, maxDegreeOfParallelism, digest, wipeVector) & high) == 0;
    }

    // The chunked walk into an encoding, hashed in order; returns the OR of the vector's elements. Threads take chunks in
    // ascending order from one counter (not Parallel.For's ranges, which would start the second thread half way and
    // leave half the hash for the end), so chunks complete nearly in order and the hash keeps up with the walk.
    private unsafe ulong RunDigested(ulong nonce, Span<ulong> vector, Span<byte> destination, int bits, int maxDegreeOfParallelism, IncrementalHash digest,
        bool wipe)
    {
        bool wide32 = bits <= 32;
        (int chunkElements, int chunks) = Partition(vector.Length, wide32, maxDegreeOfParallelism);
        ulong mask = ModularArithmetic.Mask(bits);
        int threads = Math.Min(maxDegreeOfParallelism, chunks);
        ulong or = 0;
        fixed (ulong* start = vector)
        fixed (byte* encoded = destination)
        {
            // The spans are pinned for the whole (synchronous) call, so worker threads may address them by pointer.
            var target = new ChunkTarget(start, vector.Length, encoded);
            var order = new OrderedChunkDigest(digest, encoded, chunkElements * (wide32 ? 4 : 8), destination.Length);
            int length = vector.Length;
            int claimed = -1;
            void Work()
            {
                byte[] acc = ArrayPool<byte>.Shared.Rent(ChunkBytes);
                ulong seen = 0;
                try
                {
                    for (int c = Interlocked.Increment(ref claimed); c < chunks; c = Interlocked.Increment(ref claimed))
                    {
                        int first = c * chunkElements;
                        ApplyChunk(target, first, chunkElements, nonce, mask, wide32, acc);
                        // The chunk's input was just read: check and wipe it from cache.
                        var input = new Span<ulong>(target.Start + first, Math.Min(chunkElements, length - first));
                        seen |= OrOf(input);
                        if (wipe)
                        {
                            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(input));
                        }
                        order.Completed(c);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(acc, clearArray: true);
                    Interlocked.Or(ref or, seen);
                }
            }
            // Each thread runs one Work, which takes chunks until none is left; a helper that starts late takes none
            // and is not waited for (CallerFirstLoop), so the caller never idles on a thread that was not scheduled.
            CallerFirstLoop.For(threads, threads, _ => Work());
            order.Finish();
        }
        return or;
    }

    // The OR of all elements (one vectorised read): an element at or above 2^bits shows as a high bit.
    private static ulong OrOf(ReadOnlySpan<ulong> values)
    {
        var acc = Vector256<ulong>.Zero;
        int i = 0;
        ref ulong v = ref MemoryMarshal.GetReference(values);
        for (; i + 4 <= values.Length; i += 4)
        {
            acc |= Vector256.LoadUnsafe(ref v, (nuint)i);
        }
        ulong x = acc[0] | acc[1] | acc[2] | acc[3];
        for (; i < values.Length; i++)
        {
            x |= values[i];
        }
        return x;
    }
}
