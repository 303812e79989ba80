using System.Collections.Concurrent;
using System.Diagnostics;

namespace SecureFed.Aggregator.Diagnostics;

/// <summary>
/// Trace spans on the activity source "SecureFed.Aggregator": one <c>securefed.round</c> span per round (from its opening,
/// or its resumption after a restart, to its end) and one <c>securefed.stage</c> child per stage (from the stage's
/// opening to its close). Request spans come from the ASP.NET Core instrumentation. Round spans outlive the request that
/// opened them, so they are started and stopped without disturbing <see cref="Activity.Current"/>. Tags carry ids,
/// names and counts only.
/// </summary>
internal sealed class RoundTracing : IDisposable
{
    public const string SourceName = "SecureFed.Aggregator";

    private static readonly ActivitySource Source = new(SourceName, typeof(RoundTracing).Assembly.GetName().Version?.ToString());

    private readonly ConcurrentDictionary<string, Activity> _rounds = new(StringComparer.Ordinal);

    /// <summary>Starts the round's span (a root span: a round is not part of the request that opened it).</summary>
    public void RoundStarted(string roundId, string scheme, string federation, int clients, bool resumed)
    {
        Activity? round = Detached(() => Source.StartActivity("securefed.round", ActivityKind.Internal, parentContext: default, tags:
        [
            new("securefed.round.id", roundId),
            new("securefed.round.scheme", scheme),
            new("securefed.federation", federation),
            new("securefed.round.clients", clients),
            new("securefed.round.resumed", resumed),
        ]));
        if (round is not null)
        {
            _rounds[roundId] = round;
        }
    }

    /// <summary>Records a closed stage as a child of the round's span, with the stage's real start and end.</summary>
    public void StageClosed(string roundId, string stage, DateTimeOffset openedAt, DateTimeOffset closedAt, int received, int expected, string cause)
    {
        if (!_rounds.TryGetValue(roundId, out Activity? round))
        {
            return;
        }
        Detached(() =>
        {
            Activity? span = Source.StartActivity("securefed.stage", ActivityKind.Internal, round.Context, tags:
            [
                new("securefed.round.id", roundId),
                new("securefed.stage", stage),
                new("securefed.stage.received", received),
                new("securefed.stage.expected", expected),
                new("securefed.stage.close_cause", cause),
            ], startTime: openedAt);
            if (span is not null)
            {
                span.SetEndTime(closedAt.UtcDateTime);
                span.Stop();
            }
            return span;
        });
    }

    /// <summary>Ends the round's span with the round's status (completed: Ok, aborted: Error with the reason).</summary>
    public void RoundEnded(string roundId, string status, string? abortReason)
    {
        if (!_rounds.TryRemove(roundId, out Activity? round))
        {
            return;
        }
        round.SetTag("securefed.round.status", status);
        round.SetStatus(abortReason is null ? ActivityStatusCode.Ok : ActivityStatusCode.Error, abortReason);
        Detached(() =>
        {
            round.Stop();
            return round;
        });
    }

    /// <summary>The service stops: round spans end here; the rounds themselves resume at the next start.</summary>
    public void Dispose()
    {
        foreach (string id in _rounds.Keys)
        {
            if (_rounds.TryRemove(id, out Activity? round))
            {
                round.SetTag("securefed.round.status", "running");
                Detached(() =>
                {
                    round.Stop();
                    return round;
                });
            }
        }
    }

    // Starting or stopping an activity sets Activity.Current; these spans must leave the caller's current one in place.
    private static Activity? Detached(Func<Activity?> work)
    {
        Activity? previous = Activity.Current;
        try
        {
            Activity.Current = null;
            return work();
        }
        finally
        {
            Activity.Current = previous;
        }
    }
}
