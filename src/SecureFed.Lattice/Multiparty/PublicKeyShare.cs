namespace SecureFed.Lattice.Multiparty;

/// <summary>One party's share b_(i,k) = -a*s_(i,k) + e_(i,k) (NTT form, key level) of each component of the collective public key.</summary>
public sealed class PublicKeyShare
{
    /// <summary>
    /// A share as a wire format decoded it (this layer defines no wire format: he.md section 9): one key-level
    /// polynomial in NTT form per public-key component. The arrays are taken, not copied;
    /// <see cref="CollectivePublicKey.Combine"/> checks their count and length.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="party"/> is below 1.</exception>
    public PublicKeyShare(int party, ulong[][] components)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(party, 1);
        ArgumentNullException.ThrowIfNull(components);
        Party = party;
        B = components;
        Components = Array.ConvertAll(components, c => (ReadOnlyMemory<ulong>)c);
    }

    /// <summary>1-based index of the party that made the share.</summary>
    public int Party { get; }

    /// <summary>b_(i,k) for each component k: key level x N residues, prime by prime (what a wire format encodes).</summary>
    public IReadOnlyList<ReadOnlyMemory<ulong>> Components { get; }

    internal ulong[][] B { get; }
}
