using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Seal;
using SecureFed.Lattice.Seal;

namespace SecureFed.HeProtocol.Client;

/// <summary>The client's SEAL path (he.md section 11.3): the key for an outside SEAL encryptor, and its ciphertexts as the upload.</summary>
public sealed partial class HeClientAwaitKeyState
{
    /// <summary>Verifies the announcement and returns the collective key as a SEAL PublicKey (for node-seal, SEAL.NET, C++ SEAL).</summary>
    /// <exception cref="HeProtocolException">The key does not verify.</exception>
    /// <exception cref="SealExportException">The round's layout is one SEAL cannot produce.</exception>
    public byte[] ExportSealPublicKey(CollectiveKeyAnnouncement announcement, SealComprMode mode = SealComprMode.None) =>
        HeSealRound.ExportPublicKey(_parameters, HeClient.VerifyKey(_parameters, announcement), mode);

    /// <summary>
    /// Instead of <see cref="SecureFed.Protocol.Parties.PartyState{TState, TMessage, TStep}.Handle"/>: uploads SEAL ciphertexts encrypted under
    /// <see cref="ExportSealPublicKey"/>'s key, one per block, with the same commitment, signature and envelope as the
    /// client's own upload; the update this state holds is wiped unused. The values inside are not checked against
    /// InputRange here (they are encrypted); the sum stays exact as long as every client kept to the round's range.
    /// </summary>
    /// <exception cref="HeProtocolException">The key does not verify.</exception>
    /// <exception cref="SealExportException">The round's layout is one SEAL cannot produce.</exception>
    /// <exception cref="SealFormatException">A ciphertext is refused, or the count is not the round's block count.</exception>
    public HePartyTransition UploadSeal(CollectiveKeyAnnouncement announcement, IReadOnlyList<ReadOnlyMemory<byte>> sealCiphertexts)
    {
        var p = _parameters;
        HeClient.VerifyKey(p, announcement);
        byte[] upload = HeSealRound.Upload(p, sealCiphertexts);
        Consume();
        ReleaseSecrets();
        return Send(upload);
    }
}
