using SecureFed.Aggregator.Http;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.HeRounds;

/// <summary>The deadlines of H0..H3 from an open-round request, in milliseconds (the same rules as masking stages).</summary>
internal static class HeStageDeadlines
{
    public const int Stages = 4;

    /// <exception cref="AggregatorProblemException">400 naming the stage whose deadline is out of (0, 86400] seconds.</exception>
    public static long[] Parse(OpenRoundRequest request)
    {
        long[] deadlines = new long[Stages];
        for (int s = 0; s < Stages; s++)
        {
            double seconds = request.StageDeadlinesSeconds is { } list && s < list.Count ? list[s] : request.StageDeadlineSeconds;
            if (!(seconds is > 0 and <= 86_400))
            {
                throw new AggregatorProblemException(400, "invalid-configuration", $"StageDeadlinesSeconds[{s}]: the deadline of stage H{s} must be in (0, 86400] seconds, got {seconds}");
            }
            deadlines[s] = (long)Math.Ceiling(seconds * 1000);
        }
        return deadlines;
    }
}
