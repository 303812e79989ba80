using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Wire;
using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Multiparty;
using SecureFed.Protocol.Messages;

namespace SecureFed.HeProtocol.Server;

/// <summary>
/// H3: one decryption attempt. The participants (a threshold-sized set of the final decryptors) each return a
/// flooded share; with all of them the sum is decrypted. When some do not answer before the host closes the stage,
/// the server retries with another threshold-sized set of decryptors that have not failed to answer (those that did
/// answer first, then the others in index order), up to MaxDecryptionAttempts; every attempt opens the identical
/// aggregate, as each decryptor requires.
/// </summary>
public sealed class HeServerH3DecryptionState : HeServerState
{
    private readonly int[] _decryptors;
    private readonly OpenedUpload[] _uploads;
    private readonly IReadOnlyList<Ciphertext> _sum;
    private readonly HashSet<int> _unresponsive;
    private readonly SortedDictionary<uint, DecryptionShare> _shares = [];
    private int[] _participants = [];
    private HashSet<uint> _expected = [];

    internal HeServerH3DecryptionState(HeRoundParameters parameters, int[] decryptors, OpenedUpload[] uploads, IReadOnlyList<Ciphertext> sum, HashSet<int>? unresponsive = null)
        : base(parameters)
    {
        _decryptors = decryptors;
        _uploads = uploads;
        _sum = sum;
        _unresponsive = unresponsive ?? [];
    }

    /// <summary>1-based attempt number.</summary>
    public int Attempt { get; private set; }

    /// <summary>Decryptor indices asked in this attempt.</summary>
    public IReadOnlyList<int> Participants => _participants;

    /// <summary>Client ids whose uploads are in the aggregate, ascending.</summary>
    public IEnumerable<uint> Contributors => _uploads.Select(u => u.ClientId);

    /// <inheritdoc />
    public override string Name => $"H3 decryption (attempt {Attempt})";

    /// <inheritdoc />
    public override HeStage? Stage => HeStage.DecryptionShare;

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Expected => _expected;

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Received => _shares.Keys;

    internal HeServerTransition StartAttempt(int attempt, int[] participants)
    {
        Attempt = attempt;
        _participants = participants;
        _expected = [.. participants.Select(j => Parameters.DecryptorIds[j - 1])];
        var request = new DecryptionRequestMessage { Attempt = attempt, Participants = participants, Uploads = _uploads };
        return new HeServerTransition(this, [new HeOutgoingMessage([.. _expected.Order()], request)]);
    }

    /// <inheritdoc />
    public override HeServerTransition CloseStage()
    {
        var plan = Parameters.Plan;
        if (_shares.Count == _participants.Length)
        {
            ulong[] values;
            try
            {
                values = CollectiveDecryption.CombineValues(plan, _sum, Parameters.LatticeRound, _shares.Values, Parameters.Configuration.VectorLength, _uploads.Length);
            }
            catch (ArgumentException e)
            {
                return Abort(HeAbortReason.DecryptionFailed, $"the decryption shares do not combine: {e.Message}");
            }
            var result = new HeRoundResult { Sum = values[..Parameters.Configuration.VectorLength], Contributors = [.. Contributors] };
            return new HeServerTransition(new HeServerCompletedState(Parameters, result, Attempt), [new HeOutgoingMessage(Parameters.ClientIds, result)]);
        }
        var answered = _participants.Where(j => _shares.ContainsKey(Parameters.DecryptorIds[j - 1])).ToArray();
        var unresponsive = new HashSet<int>(_unresponsive);
        unresponsive.UnionWith(_participants.Except(answered));
        var candidates = answered.Concat(_decryptors.Where(j => !unresponsive.Contains(j) && !answered.Contains(j))).ToArray();
        if (Attempt >= plan.Options.MaxDecryptionAttempts || candidates.Length < Parameters.Threshold)
        {
            return Abort(HeAbortReason.DecryptionFailed,
                $"attempt {Attempt}: {_participants.Length - answered.Length} participant(s) did not answer and {(Attempt >= plan.Options.MaxDecryptionAttempts ? "no attempts are left" : $"only {candidates.Length} responsive decryptors remain")}");
        }
        // Each failed set contained an unresponsive decryptor, now excluded, so the new set differs from every earlier one.
        var next = new HeServerH3DecryptionState(Parameters, _decryptors, _uploads, _sum, unresponsive);
        return next.StartAttempt(Attempt + 1, [.. candidates.Take(Parameters.Threshold).Order()]);
    }

    private protected override HeRejection? Accept(HeEnvelope envelope)
    {
        var body = MessageCodec.Decode<DecryptionShareBody>(envelope.Body, envelope.Body.Length);
        if (body.Version != 1 || body.Attempt != Attempt || body.Participants is null || !body.Participants.SequenceEqual(_participants))
        {
            return new HeRejection(HeRejectionReason.InvalidContent, $"the share must answer attempt {Attempt} for participants [{string.Join(",", _participants)}]");
        }
        var plan = Parameters.Plan;
        var polynomials = PolynomialPacking.Unpack(plan.Parameters, plan.UploadLevel, Parameters.BlockCount * plan.Options.Bodies, body.Share ?? [], "Share");
        int party = Parameters.DecryptorIndex(envelope.SenderId);
        _shares.Add(envelope.SenderId, LatticeAccess.NewDecryptionShare(party, Parameters.LatticeRound, _participants, polynomials));
        return null;
    }
}
