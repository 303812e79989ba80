using System.Buffers;
using System.Security.Cryptography;
using SecureFed.Primitives.Vectors;

namespace SecureFed.Primitives.Prg;

// Masking into an encoding that is also hashed: a client signs SHA-256 of the body it masks into (secagg.md 2.2), and
// hashing the body after the walk was a pass on one core while the other waited (0.2 ms per 400 KB, 2 ms per 4 MB on
// this machine's SHA-NI, about 2 GB/s). Here the hash takes each chunk of the encoding as soon as every chunk before
// it is written, on whichever thread completes it, so it runs beside the masking of the later chunks.
public sealed partial class MaskSeedSet
{
    /// <summary>
    /// <see cref="MaskInto(ulong, ReadOnlySpan{ulong}, Span{byte}, int, int)"/>, and appends the whole encoding (the
    /// <paramref name="destination"/> bytes, in order) to <paramref name="digest"/> during the walk: the same hash as
    /// appending <paramref name="destination"/> afterwards.
    /// </summary>
    /// <exception cref="ArgumentException">As the overload without a digest.</exception>
    public void MaskIntoAndHash(ulong nonce, ReadOnlySpan<ulong> vector, Span<byte> destination, int bits, int maxDegreeOfParallelism, IncrementalHash digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        MaskIntoCore(nonce, vector, destination, bits, maxDegreeOfParallelism, digest);
    }

    // The chunked walk into an encoding, hashed in order. Threads take chunks in ascending order from one counter (not
    // Parallel.For's ranges, which would start the second thread half way and leave half the hash for the end), so
    // chunks complete nearly in order and the hash keeps up with the walk; a thread that wakes late takes fewer chunks.
    private unsafe void RunDigested(ulong nonce, ReadOnlySpan<ulong> vector, Span<byte> destination, int bits, int maxDegreeOfParallelism, IncrementalHash digest)
    {
        bool wide32 = bits <= 32;
        (int chunkElements, int chunks) = Partition(vector.Length, wide32, maxDegreeOfParallelism);
        ulong mask = ModularArithmetic.Mask(bits);
        int threads = Math.Min(maxDegreeOfParallelism, chunks);
        fixed (ulong* start = vector)
        fixed (byte* encoded = destination)
        {
            // The spans are pinned for the whole (synchronous) call, so worker threads may address them by pointer.
            var target = new ChunkTarget(start, vector.Length, encoded);
            var order = new OrderedChunkDigest(digest, encoded, chunkElements * (wide32 ? 4 : 8), destination.Length);
            int claimed = -1;
            void Work()
            {
                byte[] acc = ArrayPool<byte>.Shared.Rent(ChunkBytes);
                try
                {
                    for (int c = Interlocked.Increment(ref claimed); c < chunks; c = Interlocked.Increment(ref claimed))
                    {
                        ApplyChunk(target, c * chunkElements, chunkElements, nonce, mask, wide32, acc);
                        order.Completed(c);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(acc, clearArray: true);
                }
            }
            if (threads == 1)
            {
                Work();
            }
            else
            {
                Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ => Work());
            }
            order.Finish();
        }
    }
}
