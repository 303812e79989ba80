using SecureFed.Privacy.Ledger;
using SecureFed.Privacy.Pipeline;
using SecureFed.Privacy.Rounds;
using SecureFed.Transport.Admin;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Updates;

namespace SecureFed.Aggregator.Protocols;

/// <summary>
/// What a float round carries beyond its scheme's configuration: the float encoding (secagg.md 10a), or the DP plan
/// (dp.md 8) whose vector replaces it. Stored beside the round (round_encodings, for the ledger) and carried in the
/// round's configuration (RoundConfiguration keys 7/8, HeRoundConfiguration keys 16/17), where the hash covers it.
/// </summary>
internal sealed class RoundEncoding
{
    private RoundEncoding(FloatRoundEncoding round) => Round = round;

    /// <summary>The encoding as the round's configuration carries and validates it (protocol layer).</summary>
    public FloatRoundEncoding Round { get; }

    /// <summary>The float encoding of a round without DP.</summary>
    public FloatEncodingParameters? Plain => Round.Plain;

    /// <summary>The DP plan of a DP round.</summary>
    public DpRoundParameters? Dp => Round.Dp;

    /// <summary>The round's input vectors.</summary>
    public VectorSpec[] Vectors => Round.Vectors();

    /// <summary>The configuration's FloatEncoding field (null for a DP round).</summary>
    public FloatEncodingConfiguration? PlainConfiguration => Plain?.ToConfiguration();

    /// <summary>The configuration's Dp field (null without DP).</summary>
    public DpRoundConfiguration? DpConfiguration => Dp?.ToConfiguration();

    /// <summary>Stored key 7: the float encoding's wire bytes (null for a DP round).</summary>
    public byte[]? PlainBytes => Plain is null ? null : MessageCodec.Encode(Plain.ToConfiguration());

    /// <summary>Stored key 8: the DP plan's wire bytes (null without DP).</summary>
    public byte[]? DpBytes => Dp is null ? null : MessageCodec.Encode(Dp.ToConfiguration());

    /// <summary>The status's encoding fields; a DP round's epsilon (charged with <paramref name="survivors"/> once
    /// completed, else its worst case) and the federation's ledger figures (null when it has none).</summary>
    public RoundEncodingStatus Describe(int? survivors, PrivacyLedger? ledger)
    {
        if (Dp is not { } dp)
        {
            return new RoundEncodingStatus
            {
                Kind = "float", Length = Plain!.Length, ClipNorm = Plain.ClipNorm, Bits = Plain.Bits, Scale = Plain.Scale, MaxWeight = Plain.MaxWeight,
            };
        }
        DistributedDpPlan plan = dp.Plan;
        return new RoundEncodingStatus
        {
            Kind = "dp",
            Length = plan.Dimension,
            ClipNorm = plan.ClipNorm,
            Bits = plan.Bits,
            Scale = 1 / plan.Scale,
            MaxWeight = 1,
            Mechanism = plan.Mechanism == DpMechanism.Skellam ? "skellam" : "discrete-gaussian",
            NoiseMultiplier = dp.NoiseMultiplier,
            Delta = plan.Delta,
            MinimumSurvivors = dp.MinimumSurvivors,
            RoundEpsilon = FloatRounds.ClaimedEpsilon(dp, survivors ?? dp.MinimumSurvivors),
            RoundEpsilonCharged = survivors is not null,
            FederationSpentEpsilon = ledger?.SpentEpsilon,
            FederationRemainingEpsilon = ledger?.RemainingEpsilon,
        };
    }

    public static RoundEncoding ForPlain(FloatEncodingParameters parameters) => new(FloatRoundEncoding.For(parameters));

    public static RoundEncoding ForDp(DpRoundParameters parameters) => new(FloatRoundEncoding.For(parameters));

    /// <summary>The encoding stored with a round (both null: an integer round).</summary>
    /// <exception cref="InvalidDataException">The stored bytes are not a valid encoding.</exception>
    public static RoundEncoding? FromStored(byte[]? plain, byte[]? dp)
    {
        try
        {
            return dp is not null
                ? ForDp(DpRoundParameters.Create(MessageCodec.Decode<DpRoundConfiguration>(dp, dp.Length)))
                : plain is not null ? ForPlain(FloatEncodingParameters.Create(MessageCodec.Decode<FloatEncodingConfiguration>(plain, plain.Length))) : null;
        }
        catch (Exception e) when (e is MalformedMessageException or ArgumentException)
        {
            throw new InvalidDataException($"a stored round encoding is invalid: {e.Message}", e);
        }
    }
}
