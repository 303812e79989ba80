using System.Globalization;

namespace SecureFed.Protocol.Updates;

/// <summary>
/// A float encoding whose sum could wrap around the modulus: <see cref="Clients"/> updates at the clip norm (times
/// the maximum weight), at the requested resolution, do not fit in 2^<see cref="Bits"/>. Carries the numbers so that
/// a host can report them without parsing the message.
/// </summary>
public sealed class EncodingOverflowException : ArgumentException
{
    /// <summary>Creates the exception with the numbers of the refused encoding.</summary>
    public EncodingOverflowException(int clients, double clipNorm, double maxWeight, int bits, double? requestedScale, double availableScale, int? requiredBits)
        : base(Describe(clients, clipNorm, maxWeight, bits, requestedScale, availableScale, requiredBits), requestedScale is null ? "Bits" : "Scale")
    {
        Clients = clients;
        ClipNorm = clipNorm;
        MaxWeight = maxWeight;
        Bits = bits;
        RequestedScale = requestedScale;
        AvailableScale = availableScale;
        RequiredBits = requiredBits;
        Reason = Describe(clients, clipNorm, maxWeight, bits, requestedScale, availableScale, requiredBits);
    }

    /// <summary>The refusal with its numbers (clients, clip, weight, bits, scales, the fewest bits that fit), without the
    /// parameter suffix .NET adds to <see cref="Exception.Message"/>: what a configuration error's "allowed" quotes.</summary>
    public string Reason { get; }

    /// <summary>Clients whose sum had to fit.</summary>
    public int Clients { get; }

    /// <summary>The L2 clip norm.</summary>
    public double ClipNorm { get; }

    /// <summary>The largest weight.</summary>
    public double MaxWeight { get; }

    /// <summary>The bits given (or the most tried, 64, when the bits were to be chosen).</summary>
    public int Bits { get; }

    /// <summary>The resolution asked for, or null when only the bits were given.</summary>
    public double? RequestedScale { get; }

    /// <summary>The finest resolution <see cref="Bits"/> allows for these clients (0 when none).</summary>
    public double AvailableScale { get; }

    /// <summary>The fewest bits that would fit, or null when even 64 do not.</summary>
    public int? RequiredBits { get; }

    private static string Describe(int clients, double clipNorm, double maxWeight, int bits, double? scale, double available, int? required)
    {
        var c = CultureInfo.InvariantCulture;
        string need = required is int r ? string.Create(c, $"; {r} bits would fit") : "; no modulus up to 2^64 fits";
        return scale is double s
            ? string.Create(c, $"the sum of {clients} clients at clip norm {clipNorm:R} x max weight {maxWeight:R} at scale {s:R} can wrap around 2^{bits} (finest scale that fits: {available:R}){need}")
            : string.Create(c, $"the sum of {clients} clients at clip norm {clipNorm:R} x max weight {maxWeight:R} can wrap around 2^{bits}{need}");
    }
}
