namespace SecureFed.Lattice.Multiparty;

/// <summary>
/// Decryptor j's share for one round: for each ciphertext block and each body k, lambda_j * S_(j,k) * c1 + e_flood
/// (coefficient form, upload level; index block * bodies + k). Safe to publish once: the flooding noise hides the
/// aggregate's noise.
/// </summary>
public sealed class DecryptionShare
{
    internal DecryptionShare(int party, long round, IReadOnlyList<int> participants, ulong[][] blocks)
    {
        Party = party;
        Round = round;
        Participants = participants;
        Blocks = blocks;
    }

    /// <summary>1-based index of the decryptor.</summary>
    public int Party { get; }

    /// <summary>Round identifier.</summary>
    public long Round { get; }

    /// <summary>The Lagrange set the share was computed for.</summary>
    public IReadOnlyList<int> Participants { get; }

    /// <summary>Number of polynomials (ciphertext blocks x bodies).</summary>
    public int PolynomialCount => Blocks.Length;

    internal ulong[][] Blocks { get; }
}
