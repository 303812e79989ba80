using System.Diagnostics;

namespace SecureFed.Fuzz;

/// <summary>Runs one input through a target and turns every way of failing the pass rule into a <see cref="FuzzFailureException"/>.</summary>
public static class FuzzHarness
{
    /// <summary>An input that takes longer than this counts as a hang.</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Runs the target once over its seeds without any check, so first-use costs (JIT, MessagePack formatter
    /// generation, BFV tables) do not count against the time limit of the first inputs.
    /// </summary>
    public static void WarmUp(FuzzTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        foreach (byte[] seed in SeedCorpus.For(target.Name))
        {
            try
            {
                target.Decode(seed);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Only warming up: the checked runs judge the seeds.
            }
        }
    }

    /// <summary>Decodes <paramref name="input"/>; returns whether it was accepted (true) or refused with a documented exception (false).</summary>
    /// <exception cref="FuzzFailureException">Another exception, a hang, or too much allocation.</exception>
    public static bool Run(FuzzTarget target, byte[] input)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(input);
        long before = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        bool accepted = true;
        try
        {
            target.Decode(input);
        }
        catch (Exception e) when (Array.IndexOf(target.DecodeExceptions, e.GetType()) >= 0)
        {
            accepted = false;
        }
        catch (Exception e)
        {
            throw new FuzzFailureException($"{target.Name}: undocumented {e.GetType().Name}: {e.Message}", e);
        }
        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (elapsed > TimeLimit)
        {
            throw new FuzzFailureException($"{target.Name}: {elapsed.TotalMilliseconds:F0} ms for a {input.Length}-byte input (limit {TimeLimit.TotalMilliseconds:F0} ms)");
        }
        long bound = target.AllocationBound(input.Length);
        if (allocated > bound)
        {
            throw new FuzzFailureException($"{target.Name}: allocated {allocated:N0} bytes for a {input.Length}-byte input (bound {bound:N0})");
        }
        return accepted;
    }
}
