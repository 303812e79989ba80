using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Wire;
using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Multiparty;
using SecureFed.Protocol.Messages;

namespace SecureFed.HeProtocol.Decryptor;

/// <summary>
/// Decryptor, ready: holds the threshold key share and answers each <see cref="DecryptionRequestMessage"/> (with a
/// fresh ready state) only after verifying every client's signature on its commitment against the roster (the
/// lattice layer then checks every opening against those commitments, the participant set, and the per-round
/// attempt rules); the <see cref="HeRoundResult"/> completes it. Holds secrets: dispose it if the round ends otherwise.
/// </summary>
public sealed class DecryptorReadyState : HePartyState
{
    private readonly DecryptorSession _session;
    private readonly ThresholdDecryptor _decryptor;
    private bool _handedOver;

    internal DecryptorReadyState(DecryptorSession session, ThresholdDecryptor decryptor, IReadOnlyList<uint> finalDecryptors)
        : base(session.ClientId)
    {
        _session = session;
        _decryptor = decryptor;
        FinalDecryptors = finalDecryptors;
    }

    /// <summary>Client ids of the decryptors in the collective key.</summary>
    public IReadOnlyList<uint> FinalDecryptors { get; }

    /// <inheritdoc />
    public override string Name => "H3 ready";

    private protected override HePartyTransition? HandleCore(HeServerMessage message)
    {
        switch (message)
        {
            case HeRoundResult:
                ReleaseSecrets();
                return new HePartyTransition(new DecryptorCompletedState(ClientId), null);
            case DecryptionRequestMessage request:
                var envelope = Decrypt(request);
                _handedOver = true;
                return new HePartyTransition(new DecryptorReadyState(_session, _decryptor, FinalDecryptors), envelope);
            default:
                return null;
        }
    }

    // The signed decryption share; refuses a wrong commitment signature, an opening that does not match, or a request
    // that breaks a refusal rule.
    private HeEnvelope Decrypt(DecryptionRequestMessage request)
    {
        var p = _session.Parameters;
        var openings = new Dictionary<int, UploadOpening>();
        foreach (var upload in request.Uploads ?? [])
        {
            if (upload is null || !p.Identities.TryGetValue(upload.ClientId, out var identity) || openings.ContainsKey((int)upload.ClientId))
            {
                throw new HeProtocolException("every opened upload must come from a distinct enrolled client");
            }
            if (upload.Commitment is not { Length: UploadCommitment.Size } || upload.CommitmentSignature is null
                || !identity.Verify(HeDerivation.CommitmentSigningInput(p.ConfigurationHash.Span, upload.ClientId, upload.Commitment), upload.CommitmentSignature))
            {
                throw new HeProtocolException($"the commitment signature of client {upload.ClientId} does not verify");
            }
            try
            {
                openings[(int)upload.ClientId] = new UploadOpening(upload.Masks ?? [], upload.BodiesHash ?? []);
            }
            catch (ArgumentException e)
            {
                throw new HeProtocolException($"the opening of client {upload.ClientId} is malformed", e);
            }
            _decryptor.RegisterCommitment(p.LatticeRound, (int)upload.ClientId, upload.Commitment);
        }
        int[] participants = request.Participants ?? [];
        if (!participants.SequenceEqual(participants.Distinct().Order()) || participants.Any(j => j < 1 || j > p.DecryptorIds.Count || !FinalDecryptors.Contains(p.DecryptorIds[j - 1])))
        {
            throw new HeProtocolException("participants must be ascending decryptors of the final set");
        }
        DecryptionShare share;
        try
        {
            share = _decryptor.CreateShare(new DecryptionRequest { Round = p.LatticeRound, Participants = participants, Openings = openings }, _session.Random);
        }
        catch (DecryptionRefusedException e)
        {
            throw new HeProtocolException($"decryption refused: {e.Message}", e);
        }
        var plan = p.Plan;
        var body = new DecryptionShareBody
        {
            Attempt = request.Attempt,
            Participants = participants,
            Share = PolynomialPacking.Pack(plan.Parameters, plan.UploadLevel, share.Polynomials),
        };
        return _session.Seal(HeStage.DecryptionShare, MessageCodec.Encode(body));
    }

    // The key share, unless the next ready state owns it.
    private protected override void ReleaseSecrets()
    {
        if (!_handedOver)
        {
            _decryptor.Dispose();
        }
    }
}
