using System.Globalization;
using SecureFed.Privacy.Parameters;
using SecureFed.Privacy.Rounds;
using SecureFed.Protocol.Configuration;

namespace SecureFed.Protocol.Updates;

/// <summary>
/// The float encoding a round's configuration carries (RoundConfiguration keys 7/8, HeRoundConfiguration keys 16/17),
/// validated once for every scheme: the plain float encoding (secagg.md 10a) or the distributed-DP plan (dp.md 8).
/// Being part of the configuration, it is covered by the configuration hash every signature binds, so a server cannot
/// give two clients different encodings.
/// </summary>
public sealed class FloatRoundEncoding
{
    private FloatRoundEncoding(FloatEncodingParameters? plain, DpRoundParameters? dp)
    {
        Plain = plain;
        Dp = dp;
    }

    /// <summary>The float encoding of a round without DP.</summary>
    public FloatEncodingParameters? Plain { get; }

    /// <summary>The DP plan of a DP round.</summary>
    public DpRoundParameters? Dp { get; }

    /// <summary>Clients whose sum the encoding is sized for (the roster size).</summary>
    public int Clients => Plain?.Clients ?? Dp!.Plan.ExpectedClients;

    /// <summary>The round's input vectors, in order (a scheme summing several vectors takes them as they are).</summary>
    public VectorSpec[] Vectors() => Dp is { } dp
        ? [new VectorSpec { Length = dp.Plan.PaddedDimension, Bits = dp.Plan.Bits }]
        : Plain!.Vectors();

    /// <summary>The encoding's vectors laid out as one vector of one width, for a scheme that sums exactly one (HE).</summary>
    /// <exception cref="InvalidRoundConfigurationException">The weight sum cannot fit the update's width (names FloatEncoding.MaxWeight).</exception>
    public SingleVectorLayout SingleVector() => SingleVectorLayout.For(this);

    /// <summary>The device-side encoder and decoder of round <paramref name="roundId"/> (a DP round's rotation seed is derived from it).</summary>
    public IRoundUpdateEncoding ForRound(ReadOnlySpan<byte> roundId) => Dp is { } dp
        ? new DpUpdateEncoding(dp, DpRotationSeed.For(roundId))
        : new PlainUpdateEncoding(Plain!);

    /// <summary>Wraps parameters already validated.</summary>
    public static FloatRoundEncoding For(FloatEncodingParameters parameters) => new(parameters ?? throw new ArgumentNullException(nameof(parameters)), null);

    /// <summary>Wraps parameters already validated.</summary>
    public static FloatRoundEncoding For(DpRoundParameters parameters) => new(null, parameters ?? throw new ArgumentNullException(nameof(parameters)));

    /// <summary>Validates a configuration's encoding fields; null when both are absent (an integer round).</summary>
    /// <param name="floatEncoding">The configuration's FloatEncoding field.</param>
    /// <param name="dp">The configuration's Dp field.</param>
    /// <param name="clients">The roster size: the encoding must be sized for exactly it.</param>
    /// <exception cref="InvalidRoundConfigurationException">Both present, a field out of range, or sized for another roster (names FloatEncoding.X or Dp.X).</exception>
    public static FloatRoundEncoding? Create(FloatEncodingConfiguration? floatEncoding, DpRoundConfiguration? dp, int clients)
    {
        if (floatEncoding is not null && dp is not null)
        {
            throw new InvalidRoundConfigurationException("Dp", "absent when FloatEncoding is present (a DP round carries only its plan)", "present");
        }
        FloatRoundEncoding? encoding;
        try
        {
            encoding = floatEncoding is not null ? new(FloatEncodingParameters.Create(floatEncoding), null)
                : dp is not null ? new(null, DpRoundParameters.Create(dp)) : null;
        }
        catch (EncodingOverflowException e)
        {
            throw new InvalidRoundConfigurationException("FloatEncoding.Bits", $"an encoding whose sum cannot wrap ({e.Reason})", e.Bits);
        }
        catch (ParameterOutOfRangeException e)
        {
            throw new InvalidRoundConfigurationException(new ConfigurationError((floatEncoding is not null ? "FloatEncoding." : "Dp.") + e.Field,
                e.Requirement,
                double.IsNaN(e.Value) ? null : e.Value.ToString("R", CultureInfo.InvariantCulture)));
        }
        catch (Exception e) when (e is ArgumentException or ArithmeticException)
        {
            // Any other refusal of the plan's own checks: the configuration is invalid, never a crash of the reader.
            throw new InvalidRoundConfigurationException(floatEncoding is not null ? "FloatEncoding" : "Dp", $"a valid encoding ({e.Message.Split(Environment.NewLine)[0]})");
        }
        if (encoding is not null && encoding.Clients != clients)
        {
            throw new InvalidRoundConfigurationException(floatEncoding is not null ? "FloatEncoding.Clients" : "Dp.ExpectedClients",
                $"the roster size {clients}", encoding.Clients);
        }
        return encoding;
    }
}
