using System.Globalization;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Cli.Commands;

/// <summary>The open-round request of `serve admin open --scheme he` from its options (the service validates the fields).</summary>
internal static class ServeAdminHeRound
{
    public static OpenRoundRequest Request(CliArguments args, string federation)
    {
        string decryptors = args.String("decryptors") ?? throw new CliUsageException("--scheme he needs --decryptors ID[,ID...]");
        int length = args.Int("length", 0, 0, 1 << 28);
        if (length == 0)
        {
            throw new CliUsageException("--length is required");
        }
        double deadline = args.Double("deadline", 60, 0.001, 86_400);
        return new OpenRoundRequest
        {
            Federation = federation,
            Scheme = Schemes.He,
            StageDeadlineSeconds = deadline,
            StageDeadlinesSeconds = args.String("deadlines") is { } list ? ParseList(list, "deadlines", double.Parse) : null,
            He = new HeRoundRequest
            {
                Decryptors = ParseList(decryptors, "decryptors", uint.Parse),
                Threshold = args.String("threshold") is null ? null : args.Int("threshold", 0, 1, int.MaxValue),
                VectorLength = length,
                Bits = args.Int("bits", 32, 16, 64),
                InputRange = args.String("input-range") is null ? null : (ulong)args.Long("input-range", 0, 1, long.MaxValue),
                MinimumClients = args.String("min-clients") is null ? null : args.Int("min-clients", 0, 1, int.MaxValue),
                MaxDecryptionAttempts = args.Int("max-attempts", 2, 1, 8),
                ClipRange = args.Double("clip-range", 0, 0, 1e12),
                Lanes = args.Int("lanes", 0, 0, 64),
                Bodies = args.Int("bodies", 0, 0, 16),
                Degree = args.Int("degree", 0, 0, 1 << 16),
            },
        };
    }

    private static List<T> ParseList<T>(string text, string option, Func<string, IFormatProvider, T> parse)
    {
        try
        {
            return [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(w => parse(w, CultureInfo.InvariantCulture))];
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new CliUsageException($"--{option}: '{text}' is not a comma-separated list of numbers");
        }
    }
}
