namespace SecureFed.Lattice.Multiparty;

/// <summary>
/// Decryptor j's share for one round: for each ciphertext block and each body k, lambda_j * S_(j,k) * c1 + e_flood
/// (coefficient form, upload level; index block * bodies + k). Safe to publish once: the flooding noise hides the
/// aggregate's noise.
/// </summary>
public sealed class DecryptionShare
{
    /// <summary>
    /// A share as a wire format decoded it (this layer defines no wire format: he.md section 9): one upload-level
    /// polynomial in coefficient form per ciphertext block and body. The arrays are taken, not copied;
    /// <see cref="CollectiveDecryption"/> checks their count, party and participants.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="party"/> is below 1.</exception>
    public DecryptionShare(int party, long round, IReadOnlyList<int> participants, ulong[][] polynomials)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(party, 1);
        ArgumentNullException.ThrowIfNull(participants);
        ArgumentNullException.ThrowIfNull(polynomials);
        Party = party;
        Round = round;
        Participants = participants;
        Blocks = polynomials;
        Polynomials = Array.ConvertAll(polynomials, c => (ReadOnlyMemory<ulong>)c);
    }

    /// <summary>1-based index of the decryptor.</summary>
    public int Party { get; }

    /// <summary>Round identifier.</summary>
    public long Round { get; }

    /// <summary>The Lagrange set the share was computed for.</summary>
    public IReadOnlyList<int> Participants { get; }

    /// <summary>Number of polynomials (ciphertext blocks x bodies).</summary>
    public int PolynomialCount => Blocks.Length;

    /// <summary>The polynomials, index block * bodies + k: upload level x N coefficients each (what a wire format encodes).</summary>
    public IReadOnlyList<ReadOnlyMemory<ulong>> Polynomials { get; }

    internal ulong[][] Blocks { get; }
}
