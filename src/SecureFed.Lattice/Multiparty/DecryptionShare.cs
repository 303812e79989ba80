namespace SecureFed.Lattice.Multiparty;

/// <summary>
/// Decryptor j's share for one round: for each ciphertext block, lambda_j * S_j * c1 + e_flood (coefficient form,
/// upload level). Safe to publish once: the flooding noise hides the aggregate's noise.
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

    /// <summary>Number of ciphertext blocks covered.</summary>
    public int BlockCount => Blocks.Length;

    internal ulong[][] Blocks { get; }
}
