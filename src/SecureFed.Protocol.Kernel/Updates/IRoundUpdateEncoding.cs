using SecureFed.Primitives.Randomness;
using SecureFed.Protocol.Configuration;

namespace SecureFed.Protocol.Updates;

/// <summary>
/// How a round turns float updates into its input vectors and its sums back into an average, whichever encoding it
/// carries (<see cref="PlainUpdateEncoding"/> or <see cref="DpUpdateEncoding"/>), so that a client library and a
/// server handle both through one path, for either scheme (the words are integers mod 2^bits, as masking and the
/// HE plaintext space with t = 2^bits expect).
/// </summary>
public interface IRoundUpdateEncoding
{
    /// <summary>Coordinates of the update an application gives.</summary>
    int Length { get; }

    /// <summary>The round's input vectors, in order.</summary>
    VectorSpec[] Vectors();

    /// <summary>Encodes a single-precision update (refusing bad input before producing anything).</summary>
    /// <exception cref="ArgumentException">Wrong length, or a NaN or infinite coordinate (names the first bad index).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The weight is not allowed.</exception>
    EncodedUpdate Encode(ReadOnlySpan<float> update, double weight, IRandomSource random);

    /// <summary>Encodes a double-precision update (refusing bad input before producing anything).</summary>
    /// <exception cref="ArgumentException">Wrong length, or a NaN or infinite coordinate (names the first bad index).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The weight is not allowed.</exception>
    EncodedUpdate Encode(ReadOnlySpan<double> update, double weight, IRandomSource random);

    /// <summary>Decodes the round's sums (its vectors in order) from <paramref name="survivors"/> clients into the average.</summary>
    /// <exception cref="ArgumentException">The sums do not have the round's shape, or survivors is impossible.</exception>
    DecodedAverage Decode(IReadOnlyList<ulong[]> sums, int survivors);
}
