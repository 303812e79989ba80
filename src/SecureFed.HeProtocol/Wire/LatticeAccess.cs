using SecureFed.Lattice.Multiparty;

namespace SecureFed.HeProtocol.Wire;

/// <summary>
/// The lattice layer keeps the polynomials of key shares, Shamir shares and decryption shares internal (it defines no
/// wire format for them: he.md section 9); the round protocol, which does (section 10), is the one assembly allowed to
/// build and read them, and this is the one place it does.
/// </summary>
internal static class LatticeAccess
{
    internal static PublicKeyShare NewPublicKeyShare(int party, ulong[][] b) => new(party, b);

    internal static ulong[][] Polynomials(PublicKeyShare share) => share.B;

    internal static ShamirShare NewShamirShare(int dealer, int recipient, int threshold, ulong[] values) => new(dealer, recipient, threshold, values);

    internal static ulong[] Values(ShamirShare share) => share.Values;

    internal static DecryptionShare NewDecryptionShare(int party, long round, IReadOnlyList<int> participants, ulong[][] blocks) => new(party, round, participants, blocks);

    internal static ulong[][] Polynomials(DecryptionShare share) => share.Blocks;
}
