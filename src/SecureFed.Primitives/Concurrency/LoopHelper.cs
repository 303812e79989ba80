namespace SecureFed.Primitives.Concurrency;

/// <summary>
/// A helper thread as the job it runs sees it: the job marks it busy while it holds an item of the loop, so a post
/// counts it idle until it has work and again as soon as it will claim no more. Each call comes from that thread;
/// <see cref="MarkBusy"/> and <see cref="MarkIdle"/> alternate, starting with MarkBusy.
/// </summary>
internal sealed class LoopHelper(LoopHelperThreads owner)
{
    /// <summary>This thread claimed an item.</summary>
    public void MarkBusy() => owner.MarkBusy();

    /// <summary>This thread will claim no more items of the job.</summary>
    public void MarkIdle() => owner.MarkIdle();
}
