using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Seal;
using SecureFed.HeProtocol.Wire;
using SecureFed.Lattice.Multiparty;
using SecureFed.Lattice.Seal;
using SecureFed.Protocol.Messages;

namespace SecureFed.HeProtocol.Client;

/// <summary>The client's SEAL path (he.md section 11.3): the key for an outside SEAL encryptor, and its ciphertexts as the upload.</summary>
public sealed partial class HeClientAwaitKeyState
{
    /// <summary>Verifies the announcement and returns the collective key as a SEAL PublicKey (for node-seal, SEAL.NET, C++ SEAL).</summary>
    /// <exception cref="HeProtocolException">The key does not verify.</exception>
    /// <exception cref="SealExportException">The round's layout is one SEAL cannot produce.</exception>
    public byte[] ExportSealPublicKey(CollectiveKeyAnnouncement announcement, SealComprMode mode = SealComprMode.None) =>
        HeSealRound.ExportPublicKey(_parameters, VerifyKey(announcement), mode);

    /// <summary>
    /// Uploads SEAL ciphertexts encrypted under <see cref="ExportSealPublicKey"/>'s key, one per block, exactly as
    /// <see cref="Upload(CollectiveKeyAnnouncement, ReadOnlySpan{ulong}, Primitives.Randomness.IRandomSource)"/> uploads
    /// its own: same commitment, signature and envelope. The values inside are not checked against InputRange here
    /// (they are encrypted); the sum stays exact as long as every client kept to the round's range.
    /// </summary>
    /// <exception cref="HeProtocolException">The key does not verify.</exception>
    /// <exception cref="SealExportException">The round's layout is one SEAL cannot produce.</exception>
    /// <exception cref="SealFormatException">A ciphertext is refused, or the count is not the round's block count.</exception>
    public HeStep<HeClientUploadedState> UploadSeal(CollectiveKeyAnnouncement announcement, IReadOnlyList<ReadOnlyMemory<byte>> sealCiphertexts)
    {
        ObjectDisposedException.ThrowIf(_used, this);
        VerifyKey(announcement);
        var p = _parameters;
        byte[] upload = HeSealRound.Upload(p, sealCiphertexts);
        byte[] commitment = UploadCommitment.Compute(p.LatticeRound, (int)ClientId, upload, p.Plan.Parameters);
        var body = new ClientUpload
        {
            Upload = upload,
            Commitment = commitment,
            CommitmentSignature = _identity.Sign(Configuration.HeDerivation.CommitmentSigningInput(p.ConfigurationHash.Span, ClientId, commitment)),
        };
        _used = true;
        var envelope = HeEnvelopeSigning.Seal(p, _identity, ClientId, HeStage.Upload, MessageCodec.Encode(body));
        return new HeStep<HeClientUploadedState>(envelope, new HeClientUploadedState(ClientId));
    }
}
