using System.Globalization;
using SecureFed.Aggregator.Http;
using SecureFed.Protocol.Configuration;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Rounds;

/// <summary>The per-stage deadlines of an open-round request, in milliseconds (one per stage of the round's scheme).</summary>
internal static class RoundDeadlines
{
    public const double MaxSeconds = 86_400;

    /// <exception cref="AggregatorProblemException">400 naming the stage whose deadline is out of (0, 86400] seconds.</exception>
    public static long[] Parse(OpenRoundRequest request, int stages)
    {
        long[] deadlines = new long[stages];
        for (int s = 0; s < stages; s++)
        {
            double seconds = request.StageDeadlinesSeconds is { } list && s < list.Count ? list[s] : request.StageDeadlineSeconds;
            if (!(seconds is > 0 and <= MaxSeconds))
            {
                throw AggregatorProblemException.InvalidConfiguration(new ConfigurationError(
                    $"{nameof(OpenRoundRequest.StageDeadlinesSeconds)}[{s}]", $"in (0, {MaxSeconds}] seconds", seconds.ToString(CultureInfo.InvariantCulture)));
            }
            deadlines[s] = (long)Math.Ceiling(seconds * 1000);
        }
        return deadlines;
    }
}
