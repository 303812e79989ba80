using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Wire;
using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Multiparty;
using SecureFed.Protocol.Messages;

namespace SecureFed.HeProtocol.Decryptor;

/// <summary>
/// Decryptor, ready: holds the threshold key share and answers decryption requests, each only after verifying
/// every client's signature on its commitment against the roster (the lattice layer then checks every opening
/// against those commitments, the participant set, and the per-round attempt rules). Each call returns a fresh
/// state; this one is spent. Holds secrets: dispose it (or <see cref="Complete"/>) when the round ends.
/// </summary>
public sealed class DecryptorReadyState : IDisposable
{
    private readonly DecryptorSession _session;
    private readonly ThresholdDecryptor _decryptor;
    private bool _used;

    internal DecryptorReadyState(DecryptorSession session, ThresholdDecryptor decryptor, IReadOnlyList<uint> finalDecryptors)
    {
        _session = session;
        _decryptor = decryptor;
        FinalDecryptors = finalDecryptors;
    }

    /// <summary>Client ids of the decryptors in the collective key.</summary>
    public IReadOnlyList<uint> FinalDecryptors { get; }

    /// <summary>Verifies the request and returns the signed decryption share.</summary>
    /// <exception cref="HeProtocolException">A commitment signature is wrong, an opening does not match, or the request breaks a refusal rule.</exception>
    public HeStep<DecryptorReadyState> Decrypt(DecryptionRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_used, this);
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
        _used = true;
        return new HeStep<DecryptorReadyState>(_session.Seal(HeStage.DecryptionShare, MessageCodec.Encode(body)), new DecryptorReadyState(_session, _decryptor, FinalDecryptors));
    }

    /// <summary>Ends the round for this decryptor: wipes the key share.</summary>
    public DecryptorCompletedState Complete()
    {
        ObjectDisposedException.ThrowIf(_used, this);
        Dispose();
        return new DecryptorCompletedState();
    }

    /// <summary>Wipes the key share, unless this state was spent and the next state owns it.</summary>
    public void Dispose()
    {
        if (!_used)
        {
            _used = true;
            _decryptor.Dispose();
        }
    }
}
