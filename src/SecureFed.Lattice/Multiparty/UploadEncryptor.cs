using System.Runtime.InteropServices;
using System.Security.Cryptography;
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
    private readonly ulong[] _coefficients;
    private readonly ulong[][] _bodies;
    private readonly ulong[] _c1;

    /// <summary>Creates the encryptor for <paramref name="publicKey"/>.</summary>
    /// <exception cref="ArgumentException">The key's body count is not the plan's.</exception>
    public UploadEncryptor(AggregationPlan plan, PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(publicKey);
        if (publicKey.BodyCount != plan.Options.Bodies)
        {
            throw new ArgumentException($"the key has {publicKey.BodyCount} bodies, the plan {plan.Options.Bodies}", nameof(publicKey));
        }
        _plan = plan;
        _encryptor = new BfvEncryptor(publicKey);
        int n = plan.Parameters.Degree;
        int keyLength = plan.Parameters.KeyLevel * n;
        _coefficients = new ulong[plan.Options.Bodies * n];
        _bodies = new ulong[plan.Options.Bodies][];
        for (int k = 0; k < _bodies.Length; k++)
        {
            _bodies[k] = new ulong[keyLength];
        }
        _c1 = new ulong[keyLength];
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
        // Every byte of the output is written, so it need not be zeroed first.
        var output = GC.AllocateUninitializedArray<byte>(checked((int)UploadSize(_plan, values.Length)));
        Encrypt(values, random, output);
        return output;
    }

    /// <summary>
    /// The same upload (same randomness, same bytes) written into <paramref name="destination"/>, which must be
    /// exactly <see cref="UploadSize"/> bytes: a device that uploads every round can keep one buffer instead of
    /// allocating (and faulting in) a fresh 10 MB array per round. Every byte is overwritten.
    /// </summary>
    /// <exception cref="ArgumentException">A value is out of range, or the destination is not the upload's size.</exception>
    public void Encrypt(ReadOnlySpan<ulong> values, IRandomSource random, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(random);
        long size = UploadSize(_plan, values.Length);
        if (destination.Length != size)
        {
            throw new ArgumentException($"the upload takes {size} bytes, the destination has {destination.Length}", nameof(destination));
        }
        var p = _plan.Parameters;
        int level = _plan.UploadLevel;
        int bodies = _plan.Options.Bodies;
        int blocks = BlockCount(_plan, values.Length);
        // Each block is serialized as soon as it is encrypted, from buffers reused across blocks: holding every
        // block's ciphertext until the end allocated 2.5 MB per block (at N = 8192, 7 bodies) and cost 60% over
        // the bare encryption.
        CiphertextCodec.WriteHeader(p, level, blocks, seeded: false, bodies, destination);
        int pos = CiphertextCodec.HeaderSize;
        try
        {
            for (int b = 0; b < blocks; b++)
            {
                LanePacking.PackBlock(_plan, values, b, _coefficients);
                _encryptor.EncryptInPlace(_coefficients, random, level, _bodies, _c1);
                pos += CiphertextCodec.WriteBlock(p, level, _bodies, _c1, destination[pos..]);
            }
        }
        finally
        {
            // The packed plaintext is the client's input.
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_coefficients.AsSpan()));
        }
    }
}
