using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace SecureFed.Lattice.Multiparty;

/// <summary>
/// f_i(j): the Shamir share, for recipient j, of dealer i's key share s_i (coefficient-wise over the upload-level
/// primes). Secret: send only over an authenticated, encrypted channel to j; zeroed on dispose.
/// </summary>
public sealed class ShamirShare : IDisposable
{
    /// <summary>
    /// A share as a wire format decoded it (this layer defines no wire format: he.md section 9): f_i(j) as bodies x
    /// upload level x N coefficients. The array is taken, not copied, and zeroed on <see cref="Dispose"/>;
    /// <see cref="ThresholdKeyShare"/> checks its recipient, threshold and length when it combines the shares.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An index or the threshold is below 1.</exception>
    public ShamirShare(int dealer, int recipient, int threshold, ulong[] values)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dealer, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(recipient, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        ArgumentNullException.ThrowIfNull(values);
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

    /// <summary>
    /// The secret coefficients, for a wire format to encode (bodies x upload level x N). Send them only encrypted to
    /// the recipient; they read as zeros once the share is disposed.
    /// </summary>
    public ReadOnlyMemory<ulong> SecretValues => Values;

    internal ulong[] Values { get; }

    /// <summary>Zeroes the share.</summary>
    public void Dispose() => CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(Values.AsSpan()));

    /// <inheritdoc />
    public override string ToString() => $"ShamirShare({Dealer}->{Recipient}, redacted)";
}
