using System.Diagnostics;

namespace SecureFed.Aggregator.Rounds;

// A client's poll waits until the round has its answer or the wait runs out, re-checking each time the round
// changes: the one wait loop both schemes' coordinators use.
internal static class LongPoll
{
    public static async Task<T> UntilAsync<T>(Func<Task> changed, Func<T> lookup, Func<T, bool> ready, TimeSpan wait, TimeProvider time,
        CancellationToken ct)
    {
        long until = Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            // Take the change signal before looking, so a change between the two is never missed.
            Task signal = changed();
            T result = lookup();
            TimeSpan left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), until);
            if (ready(result) || left <= TimeSpan.Zero)
            {
                return result;
            }
            await Task.WhenAny(signal, Task.Delay(left, time, ct)).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
        }
    }
}
