using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Graph;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

/// <summary>R0 AdvertiseKeys: collects signed key advertisements from enrolled clients; closes with the key directory.</summary>
public sealed class ServerR0AdvertiseKeysState : ServerState
{
    private readonly SortedDictionary<uint, ClientEnvelope> _envelopes = [];
    private readonly Dictionary<uint, PeerKeys> _keys = [];
    private readonly HashSet<string> _seenKeys = new(StringComparer.Ordinal);

    internal ServerR0AdvertiseKeysState(ServerContext context)
        : base(context)
    {
        Expected = context.Parameters.Identities.Keys;
    }

    /// <inheritdoc />
    public override string Name => "R0 AdvertiseKeys";

    /// <inheritdoc />
    public override ProtocolStage? Stage => ProtocolStage.AdvertiseKeys;

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Expected { get; }

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Received => _envelopes.Keys;

    private protected override MessageRejection? Accept(ClientEnvelope envelope)
    {
        PeerKeys? keys = PeerKeys.TryParse(envelope.Body);
        if (keys is null)
        {
            return new(RejectionReason.Malformed, "the advertised keys are not two distinct valid 32-byte X25519 public keys");
        }
        if (keys.HasSmallOrderKey)
        {
            // Every honest neighbour's agreement with it would fail: one client could otherwise stall the round.
            return new(RejectionReason.InvalidContent, "a small-order X25519 public key (every key agreement with it fails)");
        }
        string mask = Convert.ToHexString(keys.MaskPublicKey), enc = Convert.ToHexString(keys.EncryptionPublicKey);
        if (_seenKeys.Contains(mask) || _seenKeys.Contains(enc))
        {
            return new(RejectionReason.InvalidContent, "a public key already advertised by another client");
        }
        _seenKeys.Add(mask);
        _seenKeys.Add(enc);
        _envelopes.Add(envelope.SenderId, envelope);
        _keys.Add(envelope.SenderId, keys);
        return null;
    }

    /// <inheritdoc />
    public override ServerTransition CloseStage()
    {
        uint[] advertised = [.. _envelopes.Keys];
        if (advertised.Length < Context.Parameters.Threshold)
        {
            return Abort(AbortReason.TooFewClients, $"{advertised.Length} clients advertised keys, fewer than t = {Context.Parameters.Threshold}", advertised);
        }
        ClientEnvelope[] entries = [.. _envelopes.Values];
        Context.SessionId = SessionDerivation.SessionId(Context.Parameters.ConfigurationHash.Span, entries);
        foreach (var (id, k) in _keys)
        {
            Context.Keys.Add(id, k);
        }
        Context.Advertised = advertised;
        Context.Graph = NeighbourGraphs.Create(Context.Parameters, Context.SessionId, advertised);
        var directory = new KeyDirectory { Entries = entries };
        return new ServerTransition(new ServerR1ShareKeysState(Context), [new OutgoingMessage(advertised, directory)]);
    }
}
