namespace SecureFed.Aggregator.Tests.Infrastructure;

/// <summary>The system clock plus an offset a test can change at any moment: a wall clock that jumps (NTP step, a VM
/// resumed, an operator's date command). Timers and elapsed time stay the system's, as they do on a real host.</summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
        set => Interlocked.Exchange(ref _offsetTicks, value.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
