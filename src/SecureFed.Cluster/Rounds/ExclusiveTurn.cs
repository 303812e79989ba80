namespace SecureFed.Cluster.Rounds;

/// <summary>
/// One exclusive turn at a time among a grain's interleaving calls (a round grain's closes, aborts and ticks; a shard's
/// calls from its root): turns queue behind each other, and the grain's Submits wait for <see cref="IdleAsync"/> so they
/// queue no event while a turn runs. Grain turns run on one thread at a time, so plain fields are enough.
/// </summary>
internal sealed class ExclusiveTurn
{
    private TaskCompletionSource? _current;

    /// <summary>True while a turn runs.</summary>
    public bool Busy => _current is not null;

    /// <summary>Completes once no turn runs.</summary>
    public async Task IdleAsync()
    {
        while (_current is { } turn)
        {
            await turn.Task;
        }
    }

    public async Task<T> RunAsync<T>(Func<Task<T>> turn)
    {
        await IdleAsync();
        var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _current = mine;
        try
        {
            return await turn();
        }
        finally
        {
            _current = null;
            mine.SetResult();
        }
    }

    public Task RunAsync(Func<Task> turn) => RunAsync(async () =>
    {
        await turn();
        return true;
    });
}
