using System.Globalization;
using SecureFed.Aggregator.Http;
using SecureFed.Aggregator.Rounds;
using SecureFed.Protocol.Configuration;
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
    public static RoundEncoding? Encoding(OpenRoundRequest request, int rosterSize, PrivacyLedgers ledgers)
    {
        if (request.Float is null && request.Dp is null)
        {
            return null;
        }
        if (WireNames.TryParseScheme(request.Scheme, out var scheme) && scheme != Protocol.Hosting.RoundScheme.Masking)
        {
            throw AggregatorProblemException.InvalidConfiguration(new ConfigurationError(
                request.Float is not null ? nameof(OpenRoundRequest.Float) : nameof(OpenRoundRequest.Dp), "absent in an HE round (float and DP rounds are masking rounds in this version)", "present"));
        }
        double? delta = null;
        if (request.Dp is not null)
        {
            delta = (ledgers.Find(request.Federation)
                ?? throw new AggregatorProblemException(ProblemCode.PrivacyBudgetUnset,
                    $"federation '{request.Federation}' has no privacy budget; set one with PUT /admin/v1/federations/{request.Federation}/privacy-budget before opening a DP round")).Budget.Delta;
        }
        int threshold = request.Threshold ?? RoundParameters.MinimumThreshold(rosterSize);
        return RoundEncodingBuilder.Build(request, rosterSize, threshold, delta);
    }

    /// <summary>The request with the encoding's vectors (unchanged for an integer round).</summary>
    public static OpenRoundRequest WithVectors(OpenRoundRequest request, RoundEncoding? encoding)
    {
        if (encoding is not null)
        {
            request.Vectors = [.. encoding.Vectors.Select(v => new VectorRequest { Length = v.Length, Bits = v.Bits })];
        }
        return request;
    }

    /// <summary>Every completed round has at least <paramref name="threshold"/> survivors; the DP noise must be sized for no more.</summary>
    /// <exception cref="AggregatorProblemException">400 invalid-configuration naming Dp.MinimumSurvivors.</exception>
    public static void CheckSurvivors(RoundEncoding? encoding, int threshold)
    {
        if (encoding?.Dp is { } dp && dp.MinimumSurvivors > threshold)
        {
            throw AggregatorProblemException.InvalidConfiguration(new ConfigurationError("Dp.MinimumSurvivors",
                $"at most the round's threshold {threshold} (a round may complete with that many survivors)", dp.MinimumSurvivors.ToString(CultureInfo.InvariantCulture)));
        }
    }
}
