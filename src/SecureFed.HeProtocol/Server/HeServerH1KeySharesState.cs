using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Wire;
using SecureFed.Primitives.Aead;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Server;

namespace SecureFed.HeProtocol.Server;

/// <summary>
/// H1: collects each advertised decryptor's encrypted Shamir shares. Closing fixes the final decryptor set (those
/// that sent), delivers the shares among them and announces their signed advertisements as the collective key.
/// </summary>
public sealed class HeServerH1KeySharesState : HeServerState
{
    private readonly SortedDictionary<uint, HeEnvelope> _adverts;
    private readonly SortedDictionary<uint, EncryptedKeyShare[]> _shares = [];

    internal HeServerH1KeySharesState(HeRoundParameters parameters, SortedDictionary<uint, HeEnvelope> adverts)
        : base(parameters)
    {
        _adverts = adverts;
    }

    /// <inheritdoc />
    public override string Name => "H1 key shares";

    /// <inheritdoc />
    public override HeStage? Stage => HeStage.KeyShares;

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Expected => _adverts.Keys;

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Received => _shares.Keys;

    /// <summary>Exact ciphertext size of one encrypted Shamir share.</summary>
    internal static int ShareCiphertextBytes(HeRoundParameters parameters) =>
        parameters.Plan.Options.Bodies * PolynomialPacking.PolynomialBytes(parameters.Plan.Parameters, parameters.Plan.UploadLevel) + ShareCipher.TagSize;

    /// <inheritdoc />
    public override HeServerTransition CloseStage()
    {
        if (_shares.Count < Parameters.Threshold)
        {
            return Abort(HeAbortReason.TooFewDecryptors, $"{_shares.Count} decryptors completed key sharing; the threshold is {Parameters.Threshold}");
        }
        uint[] final = [.. _shares.Keys];
        var outgoing = new List<HeOutgoingMessage>();
        foreach (uint recipient in final)
        {
            var delivered = final.Where(dealer => dealer != recipient)
                .Select(dealer => new EncryptedKeyShare { PeerId = dealer, Ciphertext = _shares[dealer].First(s => s.PeerId == recipient).Ciphertext })
                .ToArray();
            outgoing.Add(new HeOutgoingMessage([recipient], new KeyShareDelivery { Decryptors = final, Shares = delivered }));
        }
        var announcement = new CollectiveKeyAnnouncement { Advertisements = [.. final.Select(id => _adverts[id])] };
        outgoing.Add(new HeOutgoingMessage(Parameters.ClientIds, announcement));
        return new HeServerTransition(new HeServerH2UploadState(Parameters, final), outgoing);
    }

    private protected override MessageRejection? Accept(HeEnvelope envelope)
    {
        var body = MessageCodec.Decode<KeyShares>(envelope.Body, envelope.Body.Length);
        uint[] recipients = [.. _adverts.Keys.Where(id => id != envelope.SenderId)];
        if (body.Version != 1 || body.Shares is null || body.Shares.Length != recipients.Length)
        {
            return new MessageRejection(RejectionReason.InvalidContent, $"expected version 1 and {recipients.Length} shares, one per other advertised decryptor");
        }
        int size = ShareCiphertextBytes(Parameters);
        for (int i = 0; i < recipients.Length; i++)
        {
            EncryptedKeyShare? share = body.Shares[i];
            if (share is null || share.PeerId != recipients[i])
            {
                return new MessageRejection(RejectionReason.InvalidContent, $"share {i} must be addressed to decryptor {recipients[i]} (ascending recipient order)");
            }
            if (share.Ciphertext is null || share.Ciphertext.Length != size)
            {
                return new MessageRejection(RejectionReason.WrongLength, $"share for {recipients[i]} must be {size} bytes");
            }
        }
        _shares.Add(envelope.SenderId, body.Shares);
        return null;
    }
}
