namespace SecureFed.Transport;

/// <summary>Round ids on the wire and in URLs: the configuration's 16-byte RoundId as 32 lowercase hex digits.</summary>
public static class RoundIds
{
    /// <summary>Bytes in a round id.</summary>
    public const int Size = 16;

    /// <summary>Formats a 16-byte round id.</summary>
    /// <exception cref="ArgumentException">Not 16 bytes.</exception>
    public static string Format(ReadOnlySpan<byte> roundId) =>
        roundId.Length == Size ? Convert.ToHexStringLower(roundId) : throw new ArgumentException($"a round id is {Size} bytes", nameof(roundId));

    /// <summary>Parses 32 hex digits; false for anything else.</summary>
    public static bool TryParse(string? text, out byte[] roundId)
    {
        roundId = [];
        if (text is null || text.Length != 2 * Size || !text.All(char.IsAsciiHexDigit))
        {
            return false;
        }
        roundId = Convert.FromHexString(text);
        return true;
    }
}
