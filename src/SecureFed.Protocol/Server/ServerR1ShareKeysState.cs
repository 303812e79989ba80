using SecureFed.Primitives.Aead;
using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

/// <summary>R1 ShareKeys: collects each client's encrypted bundles (one per neighbour); closes by routing them.</summary>
public sealed class ServerR1ShareKeysState : ServerState
{
    private const int BundleCiphertextSize = ShareBundlePlaintext.Size + ShareCipher.TagSize;
    private readonly SortedDictionary<uint, EncryptedShareBundle[]> _bundles = [];

    internal ServerR1ShareKeysState(ServerContext context)
        : base(context)
    {
        Expected = new HashSet<uint>(context.Advertised);
    }

    /// <inheritdoc />
    public override string Name => "R1 ShareKeys";

    /// <inheritdoc />
    public override ProtocolStage? Stage => ProtocolStage.ShareKeys;

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Expected { get; }

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Received => _bundles.Keys;

    private protected override MessageRejection? Accept(ClientEnvelope envelope)
    {
        ShareKeys body = MessageCodec.Decode<ShareKeys>(envelope.Body, envelope.Body.Length);
        IReadOnlyList<uint> neighbours = Context.Graph!.NeighboursOf(envelope.SenderId);
        EncryptedShareBundle[]? shares = body.Shares;
        if (body.Version != 1 || shares is null || shares.Length != neighbours.Count)
        {
            return new(RejectionReason.InvalidContent, $"expected one share bundle for each of {neighbours.Count} neighbours");
        }
        for (int i = 0; i < shares.Length; i++)
        {
            if (shares[i] is null || shares[i].PeerId != neighbours[i] || shares[i].Ciphertext is not { Length: BundleCiphertextSize })
            {
                return new(RejectionReason.InvalidContent, $"bundle {i} must be addressed to neighbour {neighbours[i]} and be {BundleCiphertextSize} bytes");
            }
        }
        _bundles.Add(envelope.SenderId, shares);
        return null;
    }

    /// <inheritdoc />
    public override ServerTransition CloseStage()
    {
        uint[] shared = [.. _bundles.Keys];
        if (shared.Length < Context.Parameters.Threshold)
        {
            return Abort(AbortReason.TooFewClients, $"{shared.Length} clients shared keys, fewer than t = {Context.Parameters.Threshold}", Context.Advertised);
        }
        Context.SharedKeys = shared;
        // Route: recipient -> bundles from every U2 sender addressed to it, ascending sender.
        var inbox = shared.ToDictionary(id => id, _ => new List<EncryptedShareBundle>());
        foreach (var (sender, bundles) in _bundles)
        {
            foreach (EncryptedShareBundle b in bundles)
            {
                if (inbox.TryGetValue(b.PeerId, out var list))
                {
                    list.Add(new EncryptedShareBundle { PeerId = sender, Ciphertext = b.Ciphertext });
                }
            }
        }
        var outgoing = inbox.Select(kv => new OutgoingMessage([kv.Key], new ShareDelivery { Shares = [.. kv.Value] })).ToList();
        _bundles.Clear();
        return new ServerTransition(new ServerR2MaskedInputState(Context), outgoing);
    }
}
