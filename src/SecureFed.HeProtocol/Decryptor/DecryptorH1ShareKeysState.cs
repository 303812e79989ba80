using System.Security.Cryptography;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Wire;
using SecureFed.Lattice.Multiparty;
using SecureFed.Primitives.Aead;
using SecureFed.Primitives.KeyAgreement;
using SecureFed.Protocol.Messages;

namespace SecureFed.HeProtocol.Decryptor;

/// <summary>
/// Decryptor, H1: checks the advertised decryptors, Shamir-shares its key share among them (each share encrypted
/// to its recipient) and wipes the key share. Holds secrets: dispose it if the round ends here.
/// </summary>
public sealed class DecryptorH1ShareKeysState : HePartyState
{
    private readonly DecryptorSession _session;
    private readonly KeyGenerationParty _party;
    private readonly AgreementKeyPair _agreement;
    private readonly HeEnvelope _ownAdvert;
    private bool _handedOver;

    internal DecryptorH1ShareKeysState(DecryptorSession session, KeyGenerationParty party, AgreementKeyPair agreement, HeEnvelope ownAdvert)
        : base(session.ClientId)
    {
        _session = session;
        _party = party;
        _agreement = agreement;
        _ownAdvert = ownAdvert;
    }

    /// <inheritdoc />
    public override string Name => "H1 share keys";

    // Takes the AdvertisementList and deals the encrypted shares to every other advertised decryptor; refuses a list
    // that is not a valid set of this round's advertisements, or omits or alters this decryptor's own.
    private protected override HePartyTransition? HandleCore(HeServerMessage message)
    {
        if (message is not AdvertisementList list)
        {
            return null;
        }
        var p = _session.Parameters;
        var adverts = KeyAdvertisementReader.Read(p, list.Advertisements, "advertisement list");
        var own = list.Advertisements.FirstOrDefault(e => e.SenderId == _session.ClientId);
        if (own is null || !own.Body.AsSpan().SequenceEqual(_ownAdvert.Body))
        {
            throw new HeProtocolException("the advertisement list omits or alters this decryptor's own advertisement");
        }
        var dealt = _party.DealShares();
        _party.Dispose();
        ShamirShare kept = dealt[_session.Index - 1];
        bool handedOver = false;
        try
        {
            var encrypted = new List<EncryptedKeyShare>();
            var peers = new SortedDictionary<int, byte[]>();
            foreach (var (index, advert) in adverts)
            {
                if (index == _session.Index)
                {
                    continue;
                }
                uint peer = p.DecryptorIds[index - 1];
                peers[index] = advert.AgreementPublicKey;
                encrypted.Add(new EncryptedKeyShare { PeerId = peer, Ciphertext = Encrypt(p, _agreement, _session.ClientId, peer, advert.AgreementPublicKey, dealt[index - 1]) });
            }
            var body = new KeyShares { Shares = [.. encrypted] };
            var envelope = _session.Seal(HeStage.KeyShares, MessageCodec.Encode(body));
            var next = new DecryptorAwaitKeySharesState(_session, _agreement, kept, peers);
            _handedOver = handedOver = true;
            return new HePartyTransition(next, envelope);
        }
        finally
        {
            foreach (var share in dealt.Where(s => !handedOver || !ReferenceEquals(s, kept)))
            {
                share.Dispose();
            }
        }
    }

    // The key share and agreement key, unless the next state took the agreement key (the party is spent by then).
    private protected override void ReleaseSecrets()
    {
        _party.Dispose();
        if (!_handedOver)
        {
            _agreement.Dispose();
        }
    }

    private static byte[] Encrypt(HeRoundParameters p, AgreementKeyPair agreement, uint sender, uint recipient, byte[] peerKey, ShamirShare share)
    {
        Span<byte> key = stackalloc byte[ShareCipher.KeySize];
        if (!agreement.TryDeriveSharedKey(peerKey, p.ConfigurationHash.Span, HeDerivation.ShareKeyInfo(sender, recipient), key))
        {
            throw new HeProtocolException($"the agreement key of decryptor {recipient} is a low-order point");
        }
        byte[] plaintext = ShareCodec.Pack(p, share);
        try
        {
            return ShareCipher.Seal(key, HeDerivation.ShareAssociatedData(p.ConfigurationHash.Span, sender, recipient), plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
