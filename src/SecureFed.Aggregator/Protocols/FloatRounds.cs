using SecureFed.Aggregator.Http;
using SecureFed.Privacy.Ledger;
using SecureFed.Privacy.Accounting;
using SecureFed.Privacy.Rounds;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Protocols;

/// <summary>
/// The open-round steps of a float or DP round around the scheme's own open: the encoding from the request (with
/// the federation's budget delta as the DP default), the request's vectors replaced by the encoding's, and the check
/// that the round cannot complete with fewer survivors than the DP noise is sized for.
/// </summary>
internal static class FloatRounds
{
    /// <summary>The request's encoding, or null for an integer round.</summary>
    /// <exception cref="AggregatorProblemException">400 invalid-configuration; 409 privacy-budget-unset for DP without a budget.</exception>
    /// <param name="request">The open-round request.</param>
    /// <param name="rosterSize">The federation's roster size.</param>
    /// <param name="fewestSurvivors">The fewest contributions the scheme completes the round with (the DP noise default).</param>
    /// <param name="minimumBits">The scheme's narrowest value width.</param>
    /// <param name="findLedger">The federation's privacy ledger or null (a DP round's default delta); asked only for a DP round.</param>
    public static RoundEncoding? Encoding(OpenRoundRequest request, int rosterSize, int fewestSurvivors, int minimumBits, Func<string, PrivacyLedger?> findLedger)
    {
        if (request.Float is null && request.Dp is null)
        {
            return null;
        }
        double? delta = null;
        if (request.Dp is not null)
        {
            delta = (findLedger(request.Federation)
                ?? throw new AggregatorProblemException(ProblemCode.PrivacyBudgetUnset,
                    $"federation '{request.Federation}' has no privacy budget; set one with PUT /admin/v1/federations/{request.Federation}/privacy-budget before opening a DP round")).Budget.Delta;
        }
        return RoundEncodingBuilder.Build(request, rosterSize, fewestSurvivors, delta, minimumBits);
    }

    /// <summary>A DP round's epsilon for its actual survivors alone, at the plan's delta (what its ledger entry charged and
    /// its transcript claims; the auditor's dp.accountant check recomputes it); NaN for any other round.</summary>
    public static double ClaimedEpsilon(DpRoundParameters? dp, int survivors) =>
        dp is null ? double.NaN : DistributedDpAccountant.Project(dp.Plan, survivors, rounds: 1).Epsilon;
}
