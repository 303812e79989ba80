using System.Globalization;

namespace SecureFed.Protocol.Planning;

/// <summary>
/// No safe (k, t) exists for a round's roster and assumptions: opening it must be refused. Carries the numbers so a
/// host can report them without parsing the message.
/// </summary>
public sealed class RoundGraphRefusedException : InvalidOperationException
{
    /// <summary>Creates the refusal for <paramref name="clients"/> clients under <paramref name="assumptions"/>.</summary>
    public RoundGraphRefusedException(int clients, RoundGraphOptions assumptions, string reason, Exception? innerException = null)
        : base(Describe(clients, assumptions, reason), innerException)
    {
        Clients = clients;
        Assumptions = assumptions;
        Reason = reason;
    }

    /// <summary>The roster size.</summary>
    public int Clients { get; }

    /// <summary>The assumptions no graph could meet.</summary>
    public RoundGraphOptions Assumptions { get; }

    /// <summary>The finder's reason.</summary>
    public string Reason { get; }

    private static string Describe(int clients, RoundGraphOptions a, string reason)
    {
        ArgumentNullException.ThrowIfNull(a);
        return string.Create(CultureInfo.InvariantCulture,
            $"no safe graph for {clients} clients with corrupt fraction {a.CorruptFraction:G4}, dropout fraction {a.DropoutFraction:G4}, sigma {a.SecurityBits}, eta {a.CorrectnessBits}, {a.Adversary} server: {reason}");
    }
}
