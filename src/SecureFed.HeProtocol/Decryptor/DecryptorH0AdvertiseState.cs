using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Wire;
using SecureFed.Lattice.Multiparty;
using SecureFed.Primitives.KeyAgreement;
using SecureFed.Protocol.Messages;

namespace SecureFed.HeProtocol.Decryptor;

/// <summary>Decryptor, H0: samples its key share and agreement key and advertises b_i. Single use.</summary>
public sealed class DecryptorH0AdvertiseState
{
    private readonly DecryptorSession _session;
    private bool _used;

    internal DecryptorH0AdvertiseState(DecryptorSession session) => _session = session;

    /// <summary>Builds the signed H0 advertisement; the next state holds the secrets.</summary>
    public HeStep<DecryptorH1ShareKeysState> Advertise()
    {
        ObjectDisposedException.ThrowIf(_used, this);
        _used = true;
        var p = _session.Parameters;
        var agreement = AgreementKeyPair.Generate(_session.Random);
        var party = new KeyGenerationParty(p.Plan, _session.Index, _session.Random);
        try
        {
            var share = party.CreatePublicKeyShare(p.CrpSeed.Span);
            var body = new KeyAdvertisement
            {
                AgreementPublicKey = agreement.PublicKey.ToArray(),
                PublicKeyShare = PolynomialPacking.Pack(p.Plan.Parameters, p.Plan.Parameters.KeyLevel, share.Components),
            };
            var envelope = _session.Seal(HeStage.KeyAdvertisement, MessageCodec.Encode(body));
            return new HeStep<DecryptorH1ShareKeysState>(envelope, new DecryptorH1ShareKeysState(_session, party, agreement, envelope));
        }
        catch
        {
            party.Dispose();
            agreement.Dispose();
            throw;
        }
    }
}
