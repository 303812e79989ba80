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
    private readonly ulong[] _ntt;
    private readonly ulong[] _shoup;
    private bool _disposed;

    internal SecretKey(BfvParameters parameters, ulong[] ntt)
    {
        Parameters = parameters;
        _ntt = ntt;
        _shoup = new ulong[ntt.Length];
        int n = parameters.Degree;
        for (int i = 0; i < ntt.Length / n; i++)
        {
            PolyArith.ShoupQuotients(ntt.AsSpan(i * n, n), _shoup.AsSpan(i * n, n), parameters.Ring.Moduli[i].Value);
        }
    }

    /// <summary>The parameter set.</summary>
    public BfvParameters Parameters { get; }

    internal ReadOnlySpan<ulong> Ntt
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _ntt;
        }
    }

    internal ReadOnlySpan<ulong> NttShoup
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _shoup;
        }
    }

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
    public void Dispose()
    {
        if (!_disposed)
        {
            CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_ntt.AsSpan()));
            CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_shoup.AsSpan()));
            _disposed = true;
        }
    }

    /// <inheritdoc />
    public override string ToString() => "SecretKey(redacted)";
}
