using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace SecureFed.Lattice.Multiparty;

/// <summary>
/// f_i(j): the Shamir share, for recipient j, of dealer i's key share s_i (coefficient-wise over the upload-level
/// primes). Secret: send only over an authenticated, encrypted channel to j; zeroed on dispose.
/// </summary>
public sealed class ShamirShare : IDisposable
{
    internal ShamirShare(int dealer, int recipient, int threshold, ulong[] values)
    {
        Dealer = dealer;
        Recipient = recipient;
        Threshold = threshold;
        Values = values;
    }

    /// <summary>1-based index of the dealing party.</summary>
    public int Dealer { get; }

    /// <summary>1-based index of the receiving party (the evaluation point).</summary>
    public int Recipient { get; }

    /// <summary>Number of shares needed to reconstruct.</summary>
    public int Threshold { get; }

    internal ulong[] Values { get; }

    /// <summary>Zeroes the share.</summary>
    public void Dispose() => CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(Values.AsSpan()));

    /// <inheritdoc />
    public override string ToString() => $"ShamirShare({Dealer}->{Recipient}, redacted)";
}
