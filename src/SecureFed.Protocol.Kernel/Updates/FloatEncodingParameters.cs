using SecureFed.Privacy.Parameters;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Quantization;

namespace SecureFed.Protocol.Updates;

/// <summary>
/// Validated, immutable encoding of float updates for one round (protocol-spec/secagg.md, "Float updates"). A client
/// clips its update to L2 norm <see cref="ClipNorm"/>, multiplies it by its weight w (at most
/// <see cref="MaxWeight"/>, a multiple of 2^-16), and quantizes w x with the <see cref="FixedPointQuantizer"/> for
/// range r = MaxWeight x ClipNorm and <see cref="Clients"/> clients (every coordinate of a clipped update is at most
/// its L2 norm, so |w x_i| &lt;= r), which makes the sum of all clients unable to wrap around 2^<see cref="Bits"/>. The
/// weight travels as a second, one-element vector mod 2^64 in units of 2^-16. The server learns only the two sums and
/// decodes the weighted average.
/// </summary>
public sealed class FloatEncodingParameters
{
    /// <summary>Bits used when neither bits nor a scale is asked for.</summary>
    public const int DefaultBits = 32;

    /// <summary>Fractional bits of a weight on the wire: weights are multiples of 2^-16.</summary>
    public const int WeightFractionBits = 16;

    /// <summary>Modulus exponent of the weight vector.</summary>
    public const int WeightBits = 64;

    /// <summary>Largest <see cref="MaxWeight"/> allowed: 2^24 keeps 10^6 clients' weight sum (in 2^-16 units) below 2^60.</summary>
    public const double MaxWeightLimit = 1 << 24;

    /// <summary>Smallest <see cref="MaxWeight"/> allowed: one weight unit, 2^-16.</summary>
    public const double WeightUnit = 1.0 / (1 << WeightFractionBits);

    // Relative slack for floating-point arithmetic in clipping, weighting and decoding (each step is exact to ~2^-52).
    private const double FloatingSlack = 1.0 / (1L << 40);

    private FloatEncodingParameters(FloatEncodingOptions options, FixedPointQuantizer quantizer)
    {
        Length = options.Length;
        ClipNorm = options.ClipNorm;
        Clients = options.Clients;
        MaxWeight = options.MaxWeight;
        Rounding = options.Rounding;
        Quantizer = quantizer;
        MaxWeightUnits = (ulong)Math.Floor(options.MaxWeight * (1 << WeightFractionBits));
    }

    /// <summary>Coordinates per update.</summary>
    public int Length { get; }

    /// <summary>L2 clip norm.</summary>
    public double ClipNorm { get; }

    /// <summary>Clients whose sum is guaranteed to decode.</summary>
    public int Clients { get; }

    /// <summary>Bits per coordinate of the update vector.</summary>
    public int Bits => Quantizer.Bits;

    /// <summary>Integer units per 1.0 of weighted input: the resolution of the encoding.</summary>
    public double Scale => Quantizer.Scale;

    /// <summary>Largest weight per client.</summary>
    public double MaxWeight { get; }

    /// <summary>The rounding rule.</summary>
    public FloatRounding Rounding { get; }

    /// <summary>The quantizer of weighted updates (range MaxWeight x ClipNorm).</summary>
    public FixedPointQuantizer Quantizer { get; }

    /// <summary>floor(MaxWeight x 2^16): the largest weight word a client may send.</summary>
    public ulong MaxWeightUnits { get; }

    /// <summary>The round's vectors: the weighted update (Length x Bits), then the weight (1 x 64).</summary>
    public VectorSpec[] Vectors() =>
        [new VectorSpec { Length = Length, Bits = Bits }, new VectorSpec { Length = 1, Bits = WeightBits }];

    /// <summary>
    /// Worst-case error of each coordinate of the decoded average against the exact weighted average of the clipped
    /// updates: every client's integer is within 1 unit of its scaled value (stochastic rounding), plus floating
    /// slack, so |decoded - exact| &lt;= s (1/Scale + MaxWeight ClipNorm 2^-40) / W for s survivors with weight sum W.
    /// The error is also unbiased (zero mean); converting the result to float adds at most ClipNorm 2^-23.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">survivors is below 1 or the weight sum is not positive.</exception>
    public double AverageErrorBound(int survivors, double weightSum)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(survivors, 1);
        if (!(weightSum > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(weightSum), weightSum, "the weight sum must be positive");
        }
        return survivors * ((1 / Scale) + (MaxWeight * ClipNorm * FloatingSlack)) / weightSum;
    }

    /// <summary>Validates <paramref name="options"/> and chooses or checks the modulus.</summary>
    /// <exception cref="ParameterOutOfRangeException">A field is out of range (names the field and the range).</exception>
    /// <exception cref="EncodingOverflowException">The sum of the clients at the clip norm could wrap (carries the numbers).</exception>
    public static FloatEncodingParameters Create(FloatEncodingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ParameterOutOfRangeException.ThrowIfOutside(nameof(options.Length), options.Length, ParameterRange.Closed(1, RoundLimits.MaxVectorLength));
        ParameterOutOfRangeException.ThrowIfOutside(nameof(options.ClipNorm), options.ClipNorm, ParameterRange.PositiveFinite);
        ParameterOutOfRangeException.ThrowIfOutside(nameof(options.Clients), options.Clients, ParameterRange.Closed(1, RoundLimits.MaxClients));
        ParameterOutOfRangeException.ThrowIfOutside(nameof(options.MaxWeight), options.MaxWeight, ParameterRange.Closed(WeightUnit, MaxWeightLimit));
        if (!Enum.IsDefined(options.Rounding))
        {
            throw new ParameterOutOfRangeException(nameof(options.Rounding), (int)options.Rounding, ParameterRange.Closed(0, 0));
        }
        if (options.Bits is int b)
        {
            ParameterOutOfRangeException.ThrowIfOutside(nameof(options.Bits), b, ParameterRange.Closed(16, 64));
        }
        if (options.Scale is double s)
        {
            ParameterOutOfRangeException.ThrowIfOutside(nameof(options.Scale), s, ParameterRange.PositiveFinite);
        }
        double range = options.MaxWeight * options.ClipNorm;
        ParameterOutOfRangeException.ThrowIfOutside("MaxWeight x ClipNorm", range, ParameterRange.PositiveFinite);
        FixedPointQuantizer quantizer = options.Bits is int bits
            ? Checked(options, range, bits)
            : options.Scale is double scale ? Chosen(options, range, scale) : Checked(options, range, DefaultBits);
        return new FloatEncodingParameters(options, quantizer);
    }

    /// <summary>Validates a configuration received on the wire (the same checks as <see cref="Create(FloatEncodingOptions)"/>).</summary>
    /// <exception cref="ParameterOutOfRangeException">A field is out of range, including an unknown version.</exception>
    /// <exception cref="EncodingOverflowException">The encoding could wrap.</exception>
    public static FloatEncodingParameters Create(FloatEncodingConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.Version != FloatEncodingConfiguration.CurrentVersion)
        {
            throw new ParameterOutOfRangeException(nameof(configuration.Version), configuration.Version,
                ParameterRange.Closed(FloatEncodingConfiguration.CurrentVersion, FloatEncodingConfiguration.CurrentVersion));
        }
        return Create(new FloatEncodingOptions
        {
            Length = configuration.Length,
            ClipNorm = configuration.ClipNorm,
            Clients = configuration.Clients,
            Bits = configuration.Bits,
            MaxWeight = configuration.MaxWeight,
            Rounding = configuration.Rounding,
        });
    }

    /// <summary>The wire form: the chosen bits and the inputs that determine the scale.</summary>
    public FloatEncodingConfiguration ToConfiguration() => new()
    {
        Length = Length,
        ClipNorm = ClipNorm,
        Clients = Clients,
        Bits = Bits,
        MaxWeight = MaxWeight,
        Rounding = Rounding,
    };

    // The given bits, checked to hold the clients' sum at the requested resolution (if any).
    private static FixedPointQuantizer Checked(FloatEncodingOptions o, double range, int bits)
    {
        FixedPointQuantizer? q = TryQuantizer(range, bits, o.Clients);
        if (q is null || (o.Scale is double s && q.Scale < s))
        {
            throw new EncodingOverflowException(o.Clients, o.ClipNorm, o.MaxWeight, bits, o.Scale, q?.Scale ?? 0, FewestBits(o, range));
        }
        return q;
    }

    // The fewest bits whose quantizer reaches the requested resolution.
    private static FixedPointQuantizer Chosen(FloatEncodingOptions o, double range, double scale)
    {
        int? bits = FewestBits(o, range);
        if (bits is not int b)
        {
            throw new EncodingOverflowException(o.Clients, o.ClipNorm, o.MaxWeight, 64, scale, TryQuantizer(range, 64, o.Clients)?.Scale ?? 0, null);
        }
        return TryQuantizer(range, b, o.Clients)!;
    }

    private static int? FewestBits(FloatEncodingOptions o, double range)
    {
        for (int b = 16; b <= 64; b++)
        {
            FixedPointQuantizer? q = TryQuantizer(range, b, o.Clients);
            if (q is not null && q.Scale >= (o.Scale ?? 0))
            {
                return b;
            }
        }
        return null;
    }

    private static FixedPointQuantizer? TryQuantizer(double range, int bits, int clients)
    {
        try
        {
            return FixedPointQuantizer.Create(range, bits, clients);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null; // clients x input range do not fit in 2^bits
        }
    }
}
