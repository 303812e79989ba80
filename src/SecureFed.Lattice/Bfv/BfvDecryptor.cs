using SecureFed.Lattice.Ring;

namespace SecureFed.Lattice.Bfv;

/// <summary>Single-key decryption: x = c0 + c1*s at the ciphertext's level, then round(t*x/q) mod t.</summary>
public sealed class BfvDecryptor
{
    private readonly SecretKey _key;

    /// <summary>Creates a decryptor (the key is not owned).</summary>
    public BfvDecryptor(SecretKey secretKey)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        _key = secretKey;
    }

    /// <summary>Decrypts into <paramref name="values"/> (up to N entries are written).</summary>
    public void Decrypt(Ciphertext ciphertext, Span<ulong> values)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        ulong[] x = Phase(ciphertext);
        PlaintextCodec.Decode(ciphertext.Parameters, x, ciphertext.Level, values);
    }

    /// <summary>x = c0 + c1*s mod q_level (coefficient form).</summary>
    internal ulong[] Phase(Ciphertext ciphertext)
    {
        var p = ciphertext.Parameters;
        if (!p.Id.Span.SequenceEqual(_key.Parameters.Id.Span))
        {
            throw new ArgumentException("ciphertext uses other parameters", nameof(ciphertext));
        }
        if (ciphertext.BodyCount != 1)
        {
            throw new ArgumentException("a single secret key decrypts single-body ciphertexts only", nameof(ciphertext));
        }
        var ring = p.Ring;
        int n = p.Degree;
        int level = ciphertext.Level;
        var x = (ulong[])ciphertext.C1.Clone();
        ring.ForwardNtt(x, level);
        for (int i = 0; i < level; i++)
        {
            ulong q = ring.Moduli[i].Value;
            var xi = x.AsSpan(i * n, n);
            PolyArith.MulShoup(xi, _key.Ntt.Slice(i * n, n), _key.NttShoup.Slice(i * n, n), xi, q);
        }
        ring.InverseNtt(x, level);
        for (int i = 0; i < level; i++)
        {
            PolyArith.AddInPlace(x.AsSpan(i * n, n), ciphertext.C0.AsSpan(i * n, n), ring.Moduli[i].Value);
        }
        return x;
    }
}
