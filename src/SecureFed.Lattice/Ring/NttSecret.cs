using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace SecureFed.Lattice.Ring;

/// <summary>
/// Secret polynomials in NTT form with their Shoup quotients (what a secret key or a threshold key share multiplies
/// with): rows of N residues, row r modulo prime r mod level, one polynomial of level rows after another. Readable
/// until <see cref="Wipe"/> zeroes both; a read after it throws as its owner.
/// </summary>
internal sealed class NttSecret
{
    private readonly object _owner;
    private readonly ulong[] _ntt;
    private readonly ulong[] _shoup;
    private bool _wiped;

    public NttSecret(object owner, RnsRing ring, int degree, int level, ulong[] ntt)
    {
        _owner = owner;
        _ntt = ntt;
        _shoup = new ulong[ntt.Length];
        for (int row = 0; row < ntt.Length / degree; row++)
        {
            PolyArith.ShoupQuotients(ntt.AsSpan(row * degree, degree), _shoup.AsSpan(row * degree, degree), ring.Moduli[row % level].Value);
        }
    }

    public ReadOnlySpan<ulong> Ntt
    {
        get
        {
            ObjectDisposedException.ThrowIf(_wiped, _owner);
            return _ntt;
        }
    }

    public ReadOnlySpan<ulong> NttShoup
    {
        get
        {
            ObjectDisposedException.ThrowIf(_wiped, _owner);
            return _shoup;
        }
    }

    public void Wipe()
    {
        if (!_wiped)
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_ntt.AsSpan()));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_shoup.AsSpan()));
            _wiped = true;
        }
    }
}
