using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Wire;
using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Multiparty;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Server;

namespace SecureFed.HeProtocol.Server;

/// <summary>
/// H3: one decryption attempt. The participants (a threshold-sized set of the final decryptors) each return a
/// flooded share; with all of them the sum is decrypted. Then (he.md 10.7) the server checks that sum with a second
/// set that overlaps the first as little as possible and publishes only when both agree (labelled apart when the two
/// sets share decryptors, which a bad share from a shared one would shift alike); on disagreement a third
/// set drawn from decryptors in both or neither decides, and the decryptors only in the outvoted set are excluded.
/// When only one set can answer, the sum is published marked unverified. A participant that does not answer before
/// the host closes the stage is marked unresponsive and another set is asked, within every decryptor's
/// MaxDecryptionAttempts answers; every attempt opens the identical aggregate, as each decryptor requires.
/// </summary>
public sealed class HeServerH3DecryptionState : HeServerState
{
    private readonly int[] _decryptors;
    private readonly OpenedUpload[] _uploads;
    private readonly IReadOnlyList<Ciphertext> _sum;
    private readonly DecryptionProgress _progress;
    private readonly SortedDictionary<uint, DecryptionShare> _shares = [];
    private int[] _participants = [];
    private HashSet<uint> _expected = [];

    internal HeServerH3DecryptionState(HeRoundParameters parameters, int[] decryptors, OpenedUpload[] uploads, IReadOnlyList<Ciphertext> sum)
        : this(parameters, decryptors, uploads, sum, new DecryptionProgress(decryptors, parameters.Threshold, parameters.Plan.Options.MaxDecryptionAttempts))
    {
    }

    private HeServerH3DecryptionState(HeRoundParameters parameters, int[] decryptors, OpenedUpload[] uploads, IReadOnlyList<Ciphertext> sum, DecryptionProgress progress)
        : base(parameters)
    {
        _decryptors = decryptors;
        _uploads = uploads;
        _sum = sum;
        _progress = progress;
    }

    /// <summary>1-based attempt number.</summary>
    public int Attempt { get; private set; }

    /// <summary>Decryptor indices asked in this attempt.</summary>
    public IReadOnlyList<int> Participants => _participants;

    /// <summary>What this attempt is for: the first sum, its check by a second set (disjoint from the first, or
    /// sharing decryptors with it), or the deciding third set.</summary>
    public HeDecryptionCheck Purpose => _progress.Results.Count switch
    {
        0 => HeDecryptionCheck.Unverified,
        1 => ConfirmationBy(_participants),
        _ => HeDecryptionCheck.Elimination,
    };

    /// <summary>Client ids whose uploads are in the aggregate, ascending.</summary>
    public IEnumerable<uint> Contributors => _uploads.Select(u => u.ClientId);

    /// <inheritdoc />
    public override string Name => $"H3 decryption (attempt {Attempt}, {Purpose})";

    /// <inheritdoc />
    public override HeStage? Stage => HeStage.DecryptionShare;

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Expected => _expected;

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Received => _shares.Keys;

    /// <summary>A state that only checks decryption shares for attempt <paramref name="attempt"/> of
    /// <paramref name="participants"/> (a shard's, <see cref="HeRoundShard"/>): the root holds the uploads and the sum
    /// and closes the stage; this one is never closed.</summary>
    internal static HeServerH3DecryptionState ShareChecker(HeRoundParameters parameters, int attempt, int[] participants)
    {
        var state = new HeServerH3DecryptionState(parameters, [], [], []);
        state.StartAttempt(attempt, participants);
        return state;
    }

    internal HeServerTransition StartAttempt(int attempt, int[] participants)
    {
        Attempt = attempt;
        _participants = participants;
        _progress.Asked(participants);
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
            _progress.Results.Add((_participants, values[..Parameters.Configuration.VectorLength]));
            return AfterResult();
        }
        var answered = _participants.Where(j => _shares.ContainsKey(Parameters.DecryptorIds[j - 1])).ToHashSet();
        _progress.Unresponsive(_participants.Where(j => !answered.Contains(j)));
        string missing = $"attempt {Attempt}: {_participants.Length - answered.Count} participant(s) did not answer";
        var results = _progress.Results;
        switch (results.Count)
        {
            case 0:
                // Those that answered first, then the others; each failed set held an unresponsive decryptor, now
                // excluded, so the new set differs from every earlier one.
                return Next(_progress.Pick(j => answered.Contains(j) ? 0 : 1))
                    ?? Abort(HeAbortReason.DecryptionFailed, $"{missing} and fewer than t = {Parameters.Threshold} decryptors with answers left remain");
            case 1:
                return Next(CheckSet()) ?? Complete(results[0].Sum, HeDecryptionCheck.Unverified, []);
            default:
                return Next(DecidingSet())
                    ?? Abort(HeAbortReason.SharesDisagree, $"{missing}; the sets [{string.Join(",", results[0].Set)}] and [{string.Join(",", results[1].Set)}] disagree and no deciding set is left");
        }
    }

    private HeServerTransition AfterResult()
    {
        var results = _progress.Results;
        switch (results.Count)
        {
            case 1:
                return Next(CheckSet()) ?? Complete(results[0].Sum, HeDecryptionCheck.Unverified, []);
            case 2 when results[0].Sum.AsSpan().SequenceEqual(results[1].Sum):
                return Complete(results[1].Sum, ConfirmationBy(results[1].Set), []);
            case 2:
                return Next(DecidingSet())
                    ?? Abort(HeAbortReason.SharesDisagree, $"the sets [{string.Join(",", results[0].Set)}] and [{string.Join(",", results[1].Set)}] decrypt to different sums and no deciding set is left");
            default:
                var (a, b, c) = (results[0], results[1], results[2]);
                int[]? outvoted = c.Sum.AsSpan().SequenceEqual(a.Sum) ? [.. b.Set.Except(a.Set)]
                    : c.Sum.AsSpan().SequenceEqual(b.Sum) ? [.. a.Set.Except(b.Set)]
                    : null;
                return outvoted is null
                    ? Abort(HeAbortReason.SharesDisagree, $"the sets [{string.Join(",", a.Set)}], [{string.Join(",", b.Set)}] and [{string.Join(",", c.Set)}] decrypt to three different sums")
                    : Complete(c.Sum, HeDecryptionCheck.Elimination, outvoted);
        }
    }

    // A confirmation is only as strong as the sets are apart: a decryptor in both can shift both sums alike, so a
    // check set that shares members with the first is labelled apart from a disjoint one (he.md 10.7).
    private HeDecryptionCheck ConfirmationBy(int[] checkSet) =>
        checkSet.Intersect(_progress.Results[0].Set).Any() ? HeDecryptionCheck.OverlappingSubset : HeDecryptionCheck.SecondSubset;

    // The check: a second set overlapping the first as little as possible (decryptors outside it first).
    private int[]? CheckSet()
    {
        var first = _progress.Results[0].Set;
        return _progress.Pick(j => first.Contains(j) ? 1 : 0);
    }

    // The deciding set: only decryptors in both disagreeing sets or in neither, so (with one bad decryptor, which
    // must be in exactly one of them) its sum is right and names the outvoted set.
    private int[]? DecidingSet()
    {
        var (a, b) = (_progress.Results[0].Set, _progress.Results[1].Set);
        return _progress.Pick(j => a.Contains(j) ? 1 : 0, j => a.Contains(j) == b.Contains(j));
    }

    private HeServerTransition? Next(int[]? set)
    {
        if (set is null)
        {
            return null;
        }
        var next = new HeServerH3DecryptionState(Parameters, _decryptors, _uploads, _sum, _progress);
        return next.StartAttempt(Attempt + 1, set);
    }

    private HeServerTransition Complete(ulong[] sum, HeDecryptionCheck check, int[] excluded)
    {
        var results = _progress.Results;
        uint[] shared = check == HeDecryptionCheck.OverlappingSubset
            ? [.. results[0].Set.Intersect(results[1].Set).Select(j => Parameters.DecryptorIds[j - 1]).Order()]
            : [];
        var result = new HeRoundResult
        {
            Sum = sum,
            Contributors = [.. Contributors],
            Check = check,
            ExcludedDecryptors = [.. excluded.Select(j => Parameters.DecryptorIds[j - 1]).Order()],
        };
        HeDecryptorExclusion[] exclusions =
        [
            .. excluded.Order().Select(j => new HeDecryptorExclusion(Parameters.DecryptorIds[j - 1], HeExclusionReason.OutvotedShare)),
            .. _progress.UnresponsiveDecryptors.Except(excluded).Select(j => new HeDecryptorExclusion(Parameters.DecryptorIds[j - 1], HeExclusionReason.Unresponsive)),
        ];
        return new HeServerTransition(new HeServerCompletedState(Parameters, result, Attempt, exclusions, shared), [new HeOutgoingMessage(Parameters.ClientIds, result)]);
    }

    private protected override MessageRejection? Accept(HeEnvelope envelope)
    {
        var body = MessageCodec.Decode<DecryptionShareBody>(envelope.Body, envelope.Body.Length);
        if (body.Version != 1 || body.Attempt != Attempt || body.Participants is null || !body.Participants.SequenceEqual(_participants))
        {
            return new MessageRejection(RejectionReason.InvalidContent, $"the share must answer attempt {Attempt} for participants [{string.Join(",", _participants)}]");
        }
        var plan = Parameters.Plan;
        var polynomials = PolynomialPacking.Unpack(plan.Parameters, plan.UploadLevel, Parameters.BlockCount * plan.Options.Bodies, body.Share ?? [], "Share");
        int party = Parameters.DecryptorIndex(envelope.SenderId);
        _shares.Add(envelope.SenderId, new DecryptionShare(party, Parameters.LatticeRound, _participants, polynomials));
        _progress.Answered(party);
        return null;
    }
}
