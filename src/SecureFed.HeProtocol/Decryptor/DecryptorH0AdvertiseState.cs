using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Wire;
using SecureFed.Lattice.Multiparty;
using SecureFed.Primitives.KeyAgreement;
using SecureFed.Protocol.Messages;

namespace SecureFed.HeProtocol.Decryptor;

/// <summary>Decryptor, H0: samples its key share and agreement key and advertises b_i (<see cref="Advertise"/>; no server message comes first).</summary>
public sealed class DecryptorH0AdvertiseState : HePartyState
{
    private readonly DecryptorSession _session;

    internal DecryptorH0AdvertiseState(DecryptorSession session)
        : base(session.ClientId) => _session = session;

    /// <inheritdoc />
    public override string Name => "H0 advertise";

    /// <summary>Builds the signed H0 advertisement; the next state holds the secrets.</summary>
    /// <exception cref="ObjectDisposedException">This state already advertised.</exception>
    public HePartyTransition Advertise()
    {
        Consume();
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
            return new HePartyTransition(new DecryptorH1ShareKeysState(_session, party, agreement, envelope), envelope);
        }
        catch
        {
            party.Dispose();
            agreement.Dispose();
            throw;
        }
    }

    private protected override HePartyTransition? HandleCore(HeServerMessage message) => null;
}
