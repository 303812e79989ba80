using System.Globalization;
using SecureFed.Aggregator.Http;
using SecureFed.HeProtocol.Configuration;
using SecureFed.Protocol.Configuration;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Protocols;

/// <summary>
/// Turns an open-round request with <c>"scheme": "he"</c> and the federation's roster into validated round parameters
/// (a fresh RoundId; defaults as protocol-spec/transport.md section 5 lists them). Every refusal is a 400
/// <c>invalid-configuration</c> problem naming the request field, e.g. <c>He.Threshold</c>.
/// </summary>
internal static class HeRoundConfigurationBuilder
{
    /// <exception cref="AggregatorProblemException">A field is missing or invalid.</exception>
    public static HeRoundParameters Build(OpenRoundRequest request, RosterEntry[] roster)
    {
        HeRoundRequest he = request.He ?? throw Invalid(nameof(OpenRoundRequest.He), "present for scheme \"he\"", "null");
        uint[] decryptors = [.. he.Decryptors ?? []];
        foreach (uint id in decryptors.Where(id => !roster.Any(e => e.ClientId == id)))
        {
            throw Invalid("He." + nameof(HeRoundRequest.Decryptors), $"enrolled, unrevoked members of federation '{request.Federation}'", id.ToString(CultureInfo.InvariantCulture));
        }
        var configuration = new HeRoundConfiguration
        {
            RoundId = System.Security.Cryptography.RandomNumberGenerator.GetBytes(Transport.RoundIds.Size),
            Roster = roster,
            Decryptors = decryptors,
            Threshold = he.Threshold ?? request.Threshold ?? decryptors.Length / 2 + 1,
            VectorLength = he.VectorLength,
            Bits = he.Bits,
            InputRange = he.InputRange ?? LargestInputRange(he.Bits, roster.Length),
            InputOffset = he.InputOffset,
            Lanes = he.Lanes,
            Bodies = he.Bodies,
            FloodingBits = he.FloodingBits,
            Degree = he.Degree,
            MaxDecryptionAttempts = he.MaxDecryptionAttempts,
            MinimumClients = he.MinimumClients ?? request.MinClients ?? 1,
            ClipRange = he.ClipRange,
        };
        try
        {
            return HeRoundParameters.Create(configuration);
        }
        catch (InvalidRoundConfigurationException e)
        {
            throw AggregatorProblemException.InvalidConfiguration(e.Error.WithField("He." + RequestField(e.Field)));
        }
    }

    // Largest InputRange with roster x (InputRange - 1) <= 2^bits - 1, so the sum over the whole roster cannot wrap.
    private static ulong LargestInputRange(int bits, int clients) =>
        bits is >= 1 and <= 64 ? (ulong.MaxValue >> (64 - bits)) / (ulong)clients + 1 : 0;

    // The request's names for the configuration fields it names differently.
    private static string RequestField(string field) => field switch
    {
        nameof(HeRoundConfiguration.Roster) => "Roster (the federation's enrolled clients)",
        _ => field,
    };

    private static AggregatorProblemException Invalid(string field, string allowed, string got) =>
        AggregatorProblemException.InvalidConfiguration(new ConfigurationError(field, allowed, got));
}
