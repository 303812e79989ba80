using System.Globalization;
using SecureFed.Aggregator.Http;
using SecureFed.HeProtocol.Configuration;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Updates;
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
    public static HeRoundParameters Build(OpenRoundRequest request, RosterEntry[] roster, RoundEncoding? encoding)
    {
        HeRoundRequest he = request.He ?? throw Invalid(nameof(OpenRoundRequest.He), "present for scheme \"he\"", "null");
        SingleVectorLayout? layout = encoding is null ? null : Layout(he, encoding);
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
            VectorLength = layout?.Length ?? he.VectorLength,
            Bits = layout?.Bits ?? he.Bits,
            InputRange = layout?.InputRange ?? he.InputRange ?? LargestInputRange(he.Bits, roster.Length),
            InputOffset = layout?.InputOffset ?? he.InputOffset,
            Lanes = layout is { Windowed: false } ? 1 : he.Lanes,
            Bodies = he.Bodies,
            FloodingBits = he.FloodingBits,
            Degree = he.Degree,
            MaxDecryptionAttempts = he.MaxDecryptionAttempts,
            MinimumClients = he.MinimumClients ?? request.MinimumClients ?? 1,
            ClipRange = he.ClipRange,
            FloatEncoding = encoding?.PlainConfiguration,
            Dp = encoding?.DpConfiguration,
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

    // A float round's one vector: the encoding's vectors concatenated (he.md 10.1); the request's own shape must be absent.
    private static SingleVectorLayout Layout(HeRoundRequest he, RoundEncoding encoding)
    {
        const string Absent = "absent when Float is given (the encoding defines the round's values)";
        if (he.VectorLength != 0)
        {
            throw Invalid("He." + nameof(HeRoundRequest.VectorLength), Absent, he.VectorLength.ToString(CultureInfo.InvariantCulture));
        }
        if (he.InputRange is not null || he.InputOffset != 0)
        {
            throw Invalid(he.InputRange is not null ? "He.InputRange" : "He.InputOffset", Absent, (he.InputRange ?? he.InputOffset).ToString(CultureInfo.InvariantCulture));
        }
        SingleVectorLayout layout;
        try
        {
            layout = encoding.Round.SingleVector();
        }
        catch (InvalidRoundConfigurationException e)
        {
            throw AggregatorProblemException.InvalidConfiguration(e.Error.WithField(e.Field.Replace("FloatEncoding.", "Float.", StringComparison.Ordinal)));
        }
        if (he.Bits != new HeRoundRequest().Bits && he.Bits != layout.Bits)
        {
            throw Invalid("He." + nameof(HeRoundRequest.Bits), $"absent or {layout.Bits} (the float encoding's width; set Float.Bits or Dp.Bits instead)", he.Bits.ToString(CultureInfo.InvariantCulture));
        }
        if (!layout.Windowed && he.Lanes > 1)
        {
            throw Invalid("He." + nameof(HeRoundRequest.Lanes), "0 or 1 in a DP round (noisy words wrap, so lanes cannot be packed)", he.Lanes.ToString(CultureInfo.InvariantCulture));
        }
        return layout;
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
