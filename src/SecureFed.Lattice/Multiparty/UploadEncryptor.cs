using SecureFed.Lattice.Bfv;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Lattice.Multiparty;

/// <summary>
/// A client's whole upload: the vector cut into blocks of N values, each encrypted under the collective public
/// key, modulus-switched to the plan's upload level and serialized as one ciphertext vector.
/// One instance per thread.
/// </summary>
public sealed class UploadEncryptor
{
    private readonly AggregationPlan _plan;
    private readonly BfvEncryptor _encryptor;

    /// <summary>Creates the encryptor for <paramref name="publicKey"/>.</summary>
    public UploadEncryptor(AggregationPlan plan, PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(plan);
        _plan = plan;
        _encryptor = new BfvEncryptor(publicKey);
    }

    /// <summary>Number of ciphertext blocks for a vector of <paramref name="length"/> values.</summary>
    public static int BlockCount(AggregationPlan plan, int length) => LanePacking.BlockCount(plan, length);

    /// <summary>Upload size in bytes for a vector of <paramref name="length"/> values.</summary>
    public static long UploadSize(AggregationPlan plan, int length) =>
        CiphertextCodec.SerializedSize(plan.Parameters, plan.UploadLevel, BlockCount(plan, length), seeded: false, plan.Options.Bodies);

    /// <summary>
    /// Encrypts and serializes <paramref name="values"/> (residues mod 2^bits; keeping them within the plan's
    /// InputRange is the caller's quantizer's job, as in the masking path, and is checked when lanes are packed).
    /// </summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public byte[] Encrypt(ReadOnlySpan<ulong> values, IRandomSource random)
    {
        int blocks = BlockCount(_plan, values.Length);
        var cts = new Ciphertext[blocks];
        var coefficients = new ulong[_plan.Options.Bodies * _plan.Parameters.Degree];
        for (int b = 0; b < blocks; b++)
        {
            LanePacking.PackBlock(_plan, values, b, coefficients);
            cts[b] = _encryptor.Encrypt(coefficients, random, _plan.UploadLevel);
        }
        return CiphertextCodec.Serialize(cts);
    }
}
