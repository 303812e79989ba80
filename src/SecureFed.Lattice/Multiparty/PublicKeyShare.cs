namespace SecureFed.Lattice.Multiparty;

/// <summary>One party's share b_i = -a*s_i + e_i (NTT form, key level) of the collective public key.</summary>
public sealed class PublicKeyShare
{
    internal PublicKeyShare(int party, ulong[] b)
    {
        Party = party;
        B = b;
    }

    /// <summary>1-based index of the party that made the share.</summary>
    public int Party { get; }

    internal ulong[] B { get; }
}
