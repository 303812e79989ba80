namespace SecureFed.Lattice.Multiparty;

/// <summary>One party's share b_(i,k) = -a*s_(i,k) + e_(i,k) (NTT form, key level) of each component of the collective public key.</summary>
public sealed class PublicKeyShare
{
    internal PublicKeyShare(int party, ulong[][] b)
    {
        Party = party;
        B = b;
    }

    /// <summary>1-based index of the party that made the share.</summary>
    public int Party { get; }

    internal ulong[][] B { get; }
}
