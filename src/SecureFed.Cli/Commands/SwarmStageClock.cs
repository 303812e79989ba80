using System.Diagnostics;

namespace SecureFed.Cli.Commands;

/// <summary>The wall-clock time at which the last device sent each stage's message (the report's stage_seconds).</summary>
internal sealed class SwarmStageClock(int stages)
{
    private readonly long[] _lastSentTicks = new long[stages];

    /// <summary>Records a send of <paramref name="stage"/> at <paramref name="ticks"/> (Stopwatch ticks); safe from any thread.</summary>
    public void RecordSent(int stage, long ticks)
    {
        ref long target = ref _lastSentTicks[stage];
        long current;
        while ((current = Volatile.Read(ref target)) < ticks && Interlocked.CompareExchange(ref target, ticks, current) != current)
        {
        }
    }

    public double[] Seconds() => [.. _lastSentTicks.Select(t => t / (double)Stopwatch.Frequency)];
}
