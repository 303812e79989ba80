using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Wire;
using SecureFed.Primitives.KeyAgreement;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Server;

namespace SecureFed.HeProtocol.Server;

/// <summary>H0: collects the decryptors' signed key advertisements.</summary>
public sealed class HeServerH0KeyAdvertisementState : HeServerState
{
    private readonly SortedDictionary<uint, HeEnvelope> _adverts = [];
    private readonly HashSet<uint> _expected;

    internal HeServerH0KeyAdvertisementState(HeRoundParameters parameters)
        : base(parameters)
    {
        _expected = [.. parameters.DecryptorIds];
    }

    /// <inheritdoc />
    public override string Name => "H0 key advertisement";

    /// <inheritdoc />
    public override HeStage? Stage => HeStage.KeyAdvertisement;

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Expected => _expected;

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Received => _adverts.Keys;

    /// <inheritdoc />
    public override HeServerTransition CloseStage()
    {
        if (_adverts.Count < Parameters.Threshold)
        {
            return Abort(HeAbortReason.TooFewDecryptors, $"{_adverts.Count} decryptors advertised keys; the threshold is {Parameters.Threshold}");
        }
        var list = new AdvertisementList { Advertisements = [.. _adverts.Values] };
        var next = new HeServerH1KeySharesState(Parameters, _adverts);
        return new HeServerTransition(next, [new HeOutgoingMessage([.. _adverts.Keys], list)]);
    }

    private protected override MessageRejection? Accept(HeEnvelope envelope)
    {
        var body = MessageCodec.Decode<KeyAdvertisement>(envelope.Body, envelope.Body.Length);
        if (body.Version != 1 || !AgreementKeyPair.IsValidPublicKey(body.AgreementPublicKey ?? []))
        {
            return new MessageRejection(RejectionReason.InvalidContent, "version must be 1 and the agreement key 32 bytes");
        }
        ValidatePublicKeyShare(Parameters, body);
        if (AgreementKeyPair.IsSmallOrder(body.AgreementPublicKey))
        {
            return new MessageRejection(RejectionReason.InvalidContent, "a small-order X25519 agreement key (every key agreement with it fails)");
        }
        _adverts.Add(envelope.SenderId, envelope);
        return null;
    }

    // Parses b_i (B key-level polynomials, every residue below its prime) or throws MalformedMessageException.
    internal static ulong[][] ValidatePublicKeyShare(HeRoundParameters parameters, KeyAdvertisement body)
    {
        var p = parameters.Plan.Parameters;
        return PolynomialPacking.Unpack(p, p.KeyLevel, parameters.Plan.Options.Bodies, body.PublicKeyShare ?? [], "PublicKeyShare");
    }
}
