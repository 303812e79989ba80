using System.Globalization;
using SecureFed.Aggregator.Http;
using SecureFed.Protocol.Configuration;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Rounds;

/// <summary>
/// The operator's quiet close rule (a reporting window, what other FL systems call a goal count): a stage closes before
/// its deadline once at least <see cref="Quorum"/> of its expected senders were accepted and none was accepted for the
/// stage's quiet period. A device slower than the period is dropped as a deadline drops it, so the period is the
/// operator's bet on how far apart honest devices answer. Off unless the open-round request asks for it.
/// </summary>
/// <param name="QuietMs">Quiet period per stage in milliseconds (indexed as the deadlines); 0: off for that stage.</param>
/// <param name="QuorumFraction">Fraction of the stage's expected senders the quorum must reach; null: the round's minimum alone.</param>
internal sealed record QuietCloseRule(long[] QuietMs, double? QuorumFraction)
{
    /// <summary>The request's rule, or null when it asks for none.</summary>
    /// <exception cref="AggregatorProblemException">400 invalid-configuration naming the field out of range.</exception>
    public static QuietCloseRule? Parse(OpenRoundRequest request, int stages)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.QuietCloseSeconds is { } all && !(all is > 0 and <= RoundDeadlines.MaxSeconds))
        {
            throw Invalid(nameof(OpenRoundRequest.QuietCloseSeconds), $"in (0, {RoundDeadlines.MaxSeconds}] seconds", all);
        }
        if (request.QuietCloseSeconds is null && request.StageQuietCloseSeconds is null)
        {
            return request.QuietCloseQuorum is { } orphan
                ? throw Invalid(nameof(OpenRoundRequest.QuietCloseQuorum), $"only with {nameof(OpenRoundRequest.QuietCloseSeconds)} or {nameof(OpenRoundRequest.StageQuietCloseSeconds)}", orphan)
                : null;
        }
        if (request.QuietCloseQuorum is { } f && !(f is > 0 and <= 1))
        {
            throw Invalid(nameof(OpenRoundRequest.QuietCloseQuorum), "in (0, 1] (a fraction of the stage's expected senders)", f);
        }
        if (request.StageQuietCloseSeconds is { Count: var count } && count > stages)
        {
            throw Invalid(nameof(OpenRoundRequest.StageQuietCloseSeconds), $"at most {stages} entries (one per stage of the scheme)", count);
        }
        long[] quiet = new long[stages];
        for (int s = 0; s < stages; s++)
        {
            double seconds = request.StageQuietCloseSeconds is { } list && s < list.Count ? list[s] : request.QuietCloseSeconds ?? 0;
            if (!(seconds is >= 0 and <= RoundDeadlines.MaxSeconds))
            {
                throw Invalid($"{nameof(OpenRoundRequest.StageQuietCloseSeconds)}[{s}]", $"in [0, {RoundDeadlines.MaxSeconds}] seconds (0: off for the stage)", seconds);
            }
            quiet[s] = (long)Math.Ceiling(seconds * 1000);
        }
        return new QuietCloseRule(quiet, request.QuietCloseQuorum);
    }

    /// <summary>Accepted messages a stage of <paramref name="expected"/> senders needs before a quiet period can close it:
    /// never below <paramref name="minimum"/>, the round's own (the larger of its threshold and minimum clients).</summary>
    public int Quorum(int expected, int minimum) =>
        Math.Max(Math.Max(minimum, 1), QuorumFraction is { } f ? (int)Math.Ceiling(f * expected - 1e-9) : 0);

    /// <summary>The quiet period of stage <paramref name="stage"/> in milliseconds; 0 when the rule is off for it.</summary>
    public long QuietMsOf(int stage) => stage >= 0 && stage < QuietMs.Length ? QuietMs[stage] : 0;

    /// <summary>The rule as both hosts store it beside the round's deadlines: "q=MS,MS,...;f=FRACTION" (f absent for none).</summary>
    public string ToStored() =>
        $"q={string.Join(',', QuietMs)}" + (QuorumFraction is { } f ? $";f={f.ToString("R", CultureInfo.InvariantCulture)}" : "");

    /// <exception cref="InvalidDataException">The stored text is not a rule <see cref="ToStored"/> wrote.</exception>
    public static QuietCloseRule? FromStored(string? stored)
    {
        if (stored is null)
        {
            return null;
        }
        string[] parts = stored.Split(';');
        if (parts.Length is < 1 or > 2 || !parts[0].StartsWith("q=", StringComparison.Ordinal) || (parts.Length == 2 && !parts[1].StartsWith("f=", StringComparison.Ordinal)))
        {
            throw new InvalidDataException($"stored quiet close rule '{stored}' is malformed");
        }
        try
        {
            long[] quiet = [.. parts[0][2..].Split(',').Select(t => long.Parse(t, CultureInfo.InvariantCulture))];
            double? f = parts.Length == 2 ? double.Parse(parts[1][2..], CultureInfo.InvariantCulture) : null;
            return new QuietCloseRule(quiet, f);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"stored quiet close rule '{stored}' is malformed", e);
        }
    }

    private static AggregatorProblemException Invalid(string field, string allowed, double got) =>
        AggregatorProblemException.InvalidConfiguration(new ConfigurationError(field, allowed, got.ToString(CultureInfo.InvariantCulture)));
}
