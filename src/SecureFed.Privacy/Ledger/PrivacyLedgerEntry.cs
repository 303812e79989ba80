using MessagePack;
using SecureFed.Privacy.Rounds;

namespace SecureFed.Privacy.Ledger;

/// <summary>
/// One entry of a federation's privacy ledger (protocol-spec/dp.md, "Privacy ledger"): a MessagePack array with
/// integer keys, so its bytes are deterministic and can be stored, hashed and carried in a transcript. A round entry
/// holds the round's plan and survivor count, from which anyone can recompute its RDP curve, and the curve itself.
/// Entries are made by <see cref="PrivacyLedger"/>; <see cref="Decode"/> parses stored bytes as untrusted.
/// </summary>
[MessagePackObject]
public sealed record PrivacyLedgerEntry
{
    /// <summary>The format version this library writes.</summary>
    public const int CurrentVersion = 1;

    private static readonly MessagePackSerializerOptions Options =
        MessagePackSerializerOptions.Standard.WithSecurity(MessagePackSecurity.UntrustedData);

    /// <summary>Format version; 1.</summary>
    [Key(0)]
    public int Version { get; init; } = CurrentVersion;

    /// <summary>Position in the ledger: 0, 1, 2, ... without gaps.</summary>
    [Key(1)]
    public long Sequence { get; init; }

    /// <summary>What the entry records.</summary>
    [Key(2)]
    public PrivacyLedgerEntryKind Kind { get; init; }

    /// <summary>When it was recorded, Unix milliseconds (supplied by the host's clock).</summary>
    [Key(3)]
    public long TimestampMs { get; init; }

    /// <summary>The round charged (its 16-byte id); empty for budget entries.</summary>
    [Key(4)]
    public byte[] RoundId { get; init; } = [];

    /// <summary>Clients whose noise shares reached the round's sum; 0 for budget entries.</summary>
    [Key(5)]
    public int Survivors { get; init; }

    /// <summary>The round's DP plan; null for budget entries.</summary>
    [Key(6)]
    public DpRoundConfiguration? Dp { get; init; }

    /// <summary>The round's RDP at the orders 2, 3, ..., 128, 256 (<see cref="Accounting.RdpOrders.Integer"/>); empty for budget entries.</summary>
    [Key(7)]
    public double[] Rdp { get; init; } = [];

    /// <summary>The epsilon budget after this entry.</summary>
    [Key(8)]
    public double BudgetEpsilon { get; init; }

    /// <summary>The budget's delta (fixed for a federation).</summary>
    [Key(9)]
    public double BudgetDelta { get; init; }

    /// <summary>Epsilon spent by all rounds up to and including this entry, at <see cref="BudgetDelta"/>.</summary>
    [Key(10)]
    public double SpentEpsilon { get; init; }

    /// <summary>Who set or raised the budget; empty for round entries.</summary>
    [Key(11)]
    public string Actor { get; init; } = string.Empty;

    /// <summary>The entry's canonical bytes.</summary>
    public byte[] Encode() => MessagePackSerializer.Serialize(this, Options);

    /// <summary>Parses stored bytes (untrusted: bounded nesting, no trailing bytes). Check the result with <see cref="PrivacyLedger.Replay"/>.</summary>
    /// <exception cref="InvalidDataException">Not a ledger entry.</exception>
    public static PrivacyLedgerEntry Decode(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            PrivacyLedgerEntry? entry = MessagePackSerializer.Deserialize<PrivacyLedgerEntry>(bytes, Options, out int read);
            if (read != bytes.Length)
            {
                throw new InvalidDataException($"{bytes.Length - read} trailing bytes after the ledger entry");
            }
            return entry ?? throw new InvalidDataException("a ledger entry was expected, got nil");
        }
        catch (MessagePackSerializationException e)
        {
            throw new InvalidDataException($"not a ledger entry: {e.InnerException?.Message ?? e.Message}", e);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidOperationException or OverflowException or ArgumentException)
        {
            throw new InvalidDataException($"not a ledger entry: {e.Message}", e);
        }
    }
}
