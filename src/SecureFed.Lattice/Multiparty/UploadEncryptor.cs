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
    public static int BlockCount(AggregationPlan plan, int length)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return Math.Max(1, (length + plan.Parameters.Degree - 1) / plan.Parameters.Degree);
    }

    /// <summary>Upload size in bytes for a vector of <paramref name="length"/> values.</summary>
    public static long UploadSize(AggregationPlan plan, int length) =>
        CiphertextCodec.SerializedSize(plan.Parameters, plan.UploadLevel, BlockCount(plan, length), seeded: false);

    /// <summary>Encrypts and serializes <paramref name="values"/> (each below the plan's InputBound).</summary>
    /// <exception cref="ArgumentException">A value is not below InputBound.</exception>
    public byte[] Encrypt(ReadOnlySpan<ulong> values, IRandomSource random)
    {
        ulong bound = _plan.Options.InputBound;
        foreach (ulong v in values)
        {
            if (v >= bound)
            {
                throw new ArgumentException($"values must be below InputBound = {bound}", nameof(values));
            }
        }
        int n = _plan.Parameters.Degree;
        int blocks = BlockCount(_plan, values.Length);
        var cts = new Ciphertext[blocks];
        for (int b = 0; b < blocks; b++)
        {
            int start = b * n;
            var slice = start < values.Length ? values.Slice(start, Math.Min(n, values.Length - start)) : [];
            cts[b] = _encryptor.Encrypt(slice, random, _plan.UploadLevel);
        }
        return CiphertextCodec.Serialize(cts);
    }
}
