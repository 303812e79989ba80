using System.Globalization;
using SecureFed.Aggregator.Http;
using SecureFed.Privacy.Parameters;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Planning;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Protocols;

/// <summary>
/// Turns an open-round request's <c>Graph</c> object into the round's graph (secagg.md 6.2): the finder's choice for
/// the roster under the request's assumptions, or the complete graph when asked. Every refusal is a typed
/// <c>invalid-configuration</c> problem naming the request field.
/// </summary>
internal static class RoundGraphRequest
{
    private const string Field = nameof(OpenRoundRequest.Graph);

    /// <exception cref="AggregatorProblemException">400 invalid-configuration naming the field (Graph.Kind, Graph.DropoutFraction, ..., or Graph when no safe k and t exist).</exception>
    public static RoundGraph Select(GraphRequest? request, int rosterSize)
    {
        RoundGraphOptions options = Options(request);
        try
        {
            return RoundGraphSelector.Select(rosterSize, options);
        }
        catch (ParameterOutOfRangeException e)
        {
            string got = e.Value.ToString("R", CultureInfo.InvariantCulture);
            throw AggregatorProblemException.InvalidConfiguration(new ConfigurationError($"{Field}.{e.Field}", e.Allowed is { } range ? $"in {range}" : "allowed", got));
        }
        catch (RoundGraphRefusedException e)
        {
            throw AggregatorProblemException.InvalidConfiguration(new ConfigurationError(Field,
                $"assumptions under which some graph is safe for {rosterSize} clients (raise the roster or lower the fractions)", e.Message));
        }
    }

    private static RoundGraphOptions Options(GraphRequest? request)
    {
        var defaults = new RoundGraphOptions();
        if (request is null)
        {
            return defaults;
        }
        return new RoundGraphOptions
        {
            Choice = request.Kind switch
            {
                null or GraphRequest.Finder => RoundGraphChoice.Finder,
                GraphRequest.Complete => RoundGraphChoice.Complete,
                _ => throw Invalid("Kind", $"\"{GraphRequest.Finder}\" or \"{GraphRequest.Complete}\"", request.Kind),
            },
            Adversary = request.Adversary switch
            {
                null or GraphRequest.HonestButCurious => AdversaryModel.HonestButCurious,
                GraphRequest.SemiMalicious => AdversaryModel.SemiMalicious,
                _ => throw Invalid("Adversary", $"\"{GraphRequest.HonestButCurious}\" or \"{GraphRequest.SemiMalicious}\"", request.Adversary),
            },
            CorruptFraction = request.CorruptFraction ?? defaults.CorruptFraction,
            DropoutFraction = request.DropoutFraction ?? defaults.DropoutFraction,
            SecurityBits = request.SecurityBits ?? defaults.SecurityBits,
            CorrectnessBits = request.CorrectnessBits ?? defaults.CorrectnessBits,
        };
    }

    private static AggregatorProblemException Invalid(string field, string allowed, string got) =>
        AggregatorProblemException.InvalidConfiguration(new ConfigurationError($"{Field}.{field}", allowed, got));
}
