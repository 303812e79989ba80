using System.Buffers;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SecureFed.Primitives.Randomness;
using SecureFed.Protocol.Quantization;

namespace SecureFed.Cli.Commands;

// The test input `simulate` gives each client: uniform values in the clip range, quantized stochastically.
internal static class SimulatedInput
{
    private const int Block = 512; // values per pass: the doubles stay in L1 between making and quantizing them

    // Deterministic per client. The words are drawn in one call, in the order a word per value and then a word per
    // rounding would draw them, so the inputs are those of drawing one word at a time (at 10,000 clients x 100,000
    // values, two million calls per client cost more than the client's protocol work).
    public static ulong[] Quantized(FixedPointQuantizer quantizer, int length, long seed, uint id)
    {
        using var random = DeterministicRandomSource.Derive(seed, "input", id);
        ulong[] words = ArrayPool<ulong>.Shared.Rent(2 * length);
        try
        {
            random.Fill(MemoryMarshal.AsBytes(words.AsSpan(0, 2 * length)));
            ulong[] q = GC.AllocateUninitializedArray<ulong>(length); // every element is written below
            Span<double> values = stackalloc double[Block];
            for (int start = 0; start < length; start += Block)
            {
                int n = Math.Min(Block, length - start);
                Uniform(words.AsSpan(start, n), quantizer.ClipRange, values[..n]);
                quantizer.Quantize(values[..n], q.AsSpan(start, n), words.AsSpan(length + start, n));
            }
            return q;
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(words);
        }
    }

    // The ids first..first+count-1 in a Fisher-Yates order drawn from `random` (who drops out, in simulate and swarm).
    public static int[] Shuffled(IRandomSource random, int first, int count)
    {
        var ids = Enumerable.Range(first, count).ToArray();
        for (int i = ids.Length - 1; i > 0; i--)
        {
            int j = (int)random.NextBelow((ulong)i + 1);
            (ids[i], ids[j]) = (ids[j], ids[i]);
        }
        return ids;
    }

    // values[i] = ((words[i] >> 11) * 2^-53 * 2 - 1) * clip, four at a time where the hardware allows: the same IEEE
    // operations in the same order (the conversion is exact below 2^53), so the same doubles as the scalar loop.
    public static void Uniform(ReadOnlySpan<ulong> words, double clip, Span<double> values)
    {
        const double Unit = 1.0 / (1UL << 53);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<double> unit = Vector256.Create(Unit), two = Vector256.Create(2.0), one = Vector256.Create(1.0), range = Vector256.Create(clip);
            for (; i <= words.Length - Vector256<ulong>.Count; i += Vector256<ulong>.Count)
            {
                Vector256<double> u = Vector256.ConvertToDouble(Vector256.ShiftRightLogical(Vector256.Create(words.Slice(i, Vector256<ulong>.Count)), 11));
                ((u * unit * two - one) * range).CopyTo(values.Slice(i, Vector256<ulong>.Count));
            }
        }
        for (; i < words.Length; i++)
        {
            values[i] = ((words[i] >> 11) * Unit * 2 - 1) * clip;
        }
    }
}
