using System.Globalization;
using SecureFed.Aggregator.Http;
using SecureFed.Privacy.Parameters;
using SecureFed.Privacy.Rounds;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Updates;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Protocols;

/// <summary>
/// Turns the float and DP parts of an open-round request into a validated <see cref="RoundEncoding"/> for the
/// federation's roster (protocol-spec/transport.md section 5). Every refusal is a 400 <c>invalid-configuration</c>
/// naming the request field (<c>Float.Bits</c>, <c>Dp.TargetEpsilon</c>, ...); an encoding whose sum could wrap is
/// refused with its numbers.
/// </summary>
internal static class RoundEncodingBuilder
{
    /// <summary>The request's encoding, or null for an integer round.</summary>
    /// <param name="request">The open-round request.</param>
    /// <param name="rosterSize">Clients on the roster: the sum of all of them must not wrap.</param>
    /// <param name="minimumSurvivors">Fewest survivors the round can complete with (the DP noise default).</param>
    /// <param name="budgetDelta">The federation budget's delta (the DP default), or null when none is set.</param>
    /// <param name="minimumBits">The scheme's narrowest value width: a DP plan that chooses fewer bits is widened to it.</param>
    /// <exception cref="AggregatorProblemException">400 invalid-configuration naming the field.</exception>
    public static RoundEncoding? Build(OpenRoundRequest request, int rosterSize, int minimumSurvivors, double? budgetDelta, int minimumBits = 1)
    {
        FloatEncodingRequest? f = request.Float;
        if (f is null)
        {
            return request.Dp is null ? null : throw Invalid("Float", "present when Dp is given (its Length and ClipNorm are the plan's)", "null");
        }
        if (request.Vectors is { Count: > 0 })
        {
            throw Invalid("Vectors", "absent when Float is given (the encoding defines the round's vectors)", request.Vectors.Count.ToString(CultureInfo.InvariantCulture) + " vector(s)");
        }
        return request.Dp is { } dp ? ForDp(f, dp, rosterSize, minimumSurvivors, budgetDelta, minimumBits) : ForPlain(f, rosterSize);
    }

    private static RoundEncoding ForPlain(FloatEncodingRequest f, int rosterSize)
    {
        try
        {
            return RoundEncoding.ForPlain(FloatEncodingParameters.Create(new FloatEncodingOptions
            {
                Length = f.Length,
                ClipNorm = f.ClipNorm,
                Clients = rosterSize,
                Bits = f.Bits,
                Scale = f.MinimumScale,
                MaxWeight = f.MaxWeight,
            }));
        }
        catch (EncodingOverflowException e)
        {
            // The message carries the numbers (clients, clip, weight, bits, scales, the fewest bits that fit).
            string field = e.ParamName == "Scale" ? "Float.MinimumScale" : "Float.Bits";
            string got = e.ParamName == "Scale" ? Text(e.RequestedScale ?? 0) : Text(e.Bits);
            throw AggregatorProblemException.InvalidConfiguration(new ConfigurationError(field, $"an encoding whose sum cannot wrap ({e.Reason})", got));
        }
        catch (ParameterOutOfRangeException e)
        {
            throw Refused("Float." + PlainField(e.Field), e);
        }
    }

    private static RoundEncoding ForDp(FloatEncodingRequest f, DpRoundRequest dp, int rosterSize, int minimumSurvivors, double? budgetDelta, int minimumBits)
    {
        if (f.Bits is not null || f.MinimumScale is not null)
        {
            throw Invalid(f.Bits is not null ? "Float.Bits" : "Float.MinimumScale", "absent in a DP round (give Dp.Bits; the plan chooses the scale)", Text(f.Bits ?? f.MinimumScale ?? 0));
        }
        if (f.MaxWeight != 1)
        {
            throw Invalid("Float.MaxWeight", "1 in a DP round (a weight would change the sensitivity the noise is sized for)", Text(f.MaxWeight));
        }
        int survivors = dp.MinimumSurvivors ?? minimumSurvivors;
        if (survivors < 1 || survivors > minimumSurvivors)
        {
            throw Invalid("Dp.MinimumSurvivors", $"in [1, {minimumSurvivors}] (the round can complete with {minimumSurvivors} survivors; the noise must be sized for them)", Text(survivors));
        }
        double delta = dp.Delta ?? budgetDelta ?? double.NaN;
        try
        {
            DpRoundParameters Plan(int? bits) => DpRoundParameters.Create(new DpRoundOptions
            {
                Mechanism = dp.Mechanism,
                ClipNorm = f.ClipNorm,
                NoiseMultiplier = dp.NoiseMultiplier,
                TargetEpsilon = dp.TargetEpsilon,
                Delta = delta,
                Dimension = f.Length,
                RosterSize = rosterSize,
                MinimumSurvivors = survivors,
                Bits = bits,
                Rounds = dp.Rounds,
            });
            DpRoundParameters plan = Plan(dp.Bits);
            // The planner's width is the fewest bits its sum needs; a scheme that sums wider values takes more headroom.
            return RoundEncoding.ForDp(dp.Bits is null && plan.Plan.Bits < minimumBits ? Plan(minimumBits) : plan);
        }
        catch (ParameterOutOfRangeException e)
        {
            throw Refused(DpField(e.Field), e);
        }
    }

    // The request's names for the option fields it names differently.
    private static string PlainField(string field) => field switch
    {
        nameof(FloatEncodingOptions.Scale) => nameof(FloatEncodingRequest.MinimumScale),
        nameof(FloatEncodingOptions.Clients) => "Clients (the federation's roster size)",
        _ => field,
    };

    private static string DpField(string field) => field switch
    {
        nameof(DpRoundOptions.ClipNorm) => "Float.ClipNorm",
        nameof(DpRoundOptions.Dimension) => "Float.Length",
        nameof(DpRoundOptions.RosterSize) => "RosterSize (the federation's roster)",
        _ => "Dp." + field,
    };

    private static AggregatorProblemException Refused(string field, ParameterOutOfRangeException e) =>
        AggregatorProblemException.InvalidConfiguration(new ConfigurationError(field,
            e.Requirement, double.IsNaN(e.Value) ? null : Text(e.Value)));

    private static AggregatorProblemException Invalid(string field, string allowed, string? got) =>
        AggregatorProblemException.InvalidConfiguration(new ConfigurationError(field, allowed, got));

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
