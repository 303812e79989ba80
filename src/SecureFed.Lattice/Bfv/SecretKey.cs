using System.Security.Cryptography;
using SecureFed.Lattice.Ring;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Lattice.Bfv;

/// <summary>
/// A BFV secret key s (ternary) held in NTT form with Shoup quotients; also used for a party's additive share
/// of a collective key. Zeroed on <see cref="Dispose"/>; never printed.
/// </summary>
public sealed class SecretKey : IDisposable
{
    private readonly NttSecret _key;

    internal SecretKey(BfvParameters parameters, ulong[] ntt)
    {
        Parameters = parameters;
        _key = new NttSecret(this, parameters.Ring, parameters.Degree, ntt.Length / parameters.Degree, ntt);
    }

    /// <summary>The parameter set.</summary>
    public BfvParameters Parameters { get; }

    internal ReadOnlySpan<ulong> Ntt => _key.Ntt;

    internal ReadOnlySpan<ulong> NttShoup => _key.NttShoup;

    /// <summary>Samples a fresh ternary secret key from <paramref name="random"/> (a CSPRNG in production).</summary>
    public static SecretKey Generate(BfvParameters parameters, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(random);
        var small = new sbyte[parameters.Degree];
        Samplers.Ternary(random, small);
        var ntt = new ulong[parameters.KeyLevel * parameters.Degree];
        parameters.Ring.FromSigned(small, ntt, parameters.KeyLevel);
        CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(small.AsSpan()));
        parameters.Ring.ForwardNtt(ntt, parameters.KeyLevel);
        return new SecretKey(parameters, ntt);
    }

    /// <summary>Zeroes the key material.</summary>
    public void Dispose() => _key.Wipe();

    /// <inheritdoc />
    public override string ToString() => "SecretKey(redacted)";
}
