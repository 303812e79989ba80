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
/// Decryptor, after H1: waits for the final decryptor set and the shares its members dealt to it, then sums them
/// into its threshold key share (dealers outside the final set count as the sharing of zero). Holds secrets.
/// </summary>
public sealed class DecryptorAwaitKeySharesState : HePartyState
{
    private readonly DecryptorSession _session;
    private readonly AgreementKeyPair _agreement;
    private readonly ShamirShare _own;
    private readonly SortedDictionary<int, byte[]> _peers;
    private bool _combined;

    internal DecryptorAwaitKeySharesState(DecryptorSession session, AgreementKeyPair agreement, ShamirShare own, SortedDictionary<int, byte[]> peers)
        : base(session.ClientId)
    {
        _session = session;
        _agreement = agreement;
        _own = own;
        _peers = peers;
    }

    /// <inheritdoc />
    public override string Name => "H1 await key shares";

    // Takes the KeyShareDelivery, decrypts and combines the shares (nothing to send); the next state answers
    // decryption requests. Refuses an invalid final set or a share that is missing, extra, or fails to decrypt.
    private protected override HePartyTransition? HandleCore(HeServerMessage message)
    {
        if (message is not KeyShareDelivery delivery)
        {
            return null;
        }
        var p = _session.Parameters;
        uint[] final = delivery.Decryptors ?? [];
        var indices = final.Select(p.DecryptorIndex).ToArray();
        if (final.Length < p.Threshold || !final.SequenceEqual(final.Distinct().Order()) || !final.Contains(_session.ClientId)
            || indices.Any(j => j != _session.Index && !_peers.ContainsKey(j)))
        {
            throw new HeProtocolException($"the final decryptor set must hold at least {p.Threshold} advertised decryptors in ascending order, including this one");
        }
        uint[] dealers = [.. final.Where(id => id != _session.ClientId)];
        var shares = delivery.Shares ?? [];
        if (shares.Length != dealers.Length || shares.Where((s, i) => s is null || s.PeerId != dealers[i]).Any())
        {
            throw new HeProtocolException("the delivery must hold exactly one share from every other member of the final set, in ascending dealer order");
        }
        var received = new List<ShamirShare>();
        try
        {
            for (int i = 0; i < dealers.Length; i++)
            {
                received.Add(Decrypt(p, dealers[i], shares[i].Ciphertext ?? []));
            }
            for (int j = 1; j <= p.DecryptorIds.Count; j++)
            {
                if (!indices.Contains(j))
                {
                    received.Add(ShareCodec.Zero(p, j, _session.Index));
                }
            }
            received.Add(_own);
            var keyShare = ThresholdKeyShare.Combine(p.Plan, _session.Index, received);
            _combined = true;
            _agreement.Dispose();
            return new HePartyTransition(new DecryptorReadyState(_session, new ThresholdDecryptor(keyShare, p.Configuration.MinimumClients), final), null);
        }
        finally
        {
            foreach (var share in received.Where(s => !ReferenceEquals(s, _own)))
            {
                share.Dispose();
            }
            if (_combined)
            {
                _own.Dispose();
            }
        }
    }

    // The kept share and the agreement key (both already wiped once combined).
    private protected override void ReleaseSecrets()
    {
        _own.Dispose();
        _agreement.Dispose();
    }

    private ShamirShare Decrypt(HeRoundParameters p, uint dealer, byte[] ciphertext)
    {
        int dealerIndex = p.DecryptorIndex(dealer);
        if (ciphertext.Length != ShareCodec.PlaintextBytes(p) + ShareCipher.TagSize)
        {
            throw new HeProtocolException($"the share from decryptor {dealer} has the wrong size");
        }
        Span<byte> key = stackalloc byte[ShareCipher.KeySize];
        var plaintext = new byte[ciphertext.Length - ShareCipher.TagSize];
        try
        {
            if (!_agreement.TryDeriveSharedKey(_peers[dealerIndex], p.ConfigurationHash.Span, HeDerivation.ShareKeyInfo(dealer, _session.ClientId), key)
                || !ShareCipher.TryOpen(key, HeDerivation.ShareAssociatedData(p.ConfigurationHash.Span, dealer, _session.ClientId), ciphertext, plaintext))
            {
                throw new HeProtocolException($"the share from decryptor {dealer} does not decrypt");
            }
            return ShareCodec.Unpack(p, dealerIndex, _session.Index, plaintext);
        }
        catch (MalformedMessageException e)
        {
            throw new HeProtocolException($"the share from decryptor {dealer} is malformed", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
