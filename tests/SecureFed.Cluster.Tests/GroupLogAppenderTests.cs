using SecureFed.Cluster.Storage;

namespace SecureFed.Cluster.Tests;

// The appender runs on one grain activation's scheduler; these tests give it a single-threaded scheduler of their own
// and a store whose writes the test completes by hand, so the batching is observed, not timed.
public sealed class GroupLogAppenderTests
{
    private readonly TaskScheduler _activation = new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler;
    private readonly List<(IReadOnlyList<RoundLogEvent> Events, TaskCompletionSource<RoundLogAppendOutcome> Done)> _writes = [];

    [Fact]
    public async Task Events_queued_while_a_write_is_in_flight_go_out_together_in_order_with_dense_numbers()
    {
        GroupLogAppender appender = await OnActivation(() => new GroupLogAppender(WriteAsync, stream: 3, nextSequence: 7));
        Task<RoundLogAppendOutcome> first = await OnActivation(() => appender.AppendAsync(1, new byte[] { 0 }));
        await WritesStartedAsync(1);

        Task<RoundLogAppendOutcome>[] queued = await OnActivation(() => Enumerable.Range(1, 20).Select(i => appender.AppendAsync(2, new[] { (byte)i })).ToArray());
        Assert.Single(_writes); // nothing more goes out while the first write is in flight
        _writes[0].Done.SetResult(RoundLogAppendOutcome.Appended);
        Assert.Equal(RoundLogAppendOutcome.Appended, await first);

        await WritesStartedAsync(2);
        Assert.All(queued, q => Assert.False(q.IsCompleted)); // acknowledged only once their own batch is written
        IReadOnlyList<RoundLogEvent> second = _writes[1].Events;
        Assert.Equal(Enumerable.Range(8, 20).Select(i => (long)i), second.Select(e => e.Sequence));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (byte)i), second.Select(e => e.Payload.Span[0]));
        Assert.All(second, e => Assert.Equal(3, e.Stream));
        _writes[1].Done.SetResult(RoundLogAppendOutcome.Appended);

        Assert.All(await Task.WhenAll(queued), o => Assert.Equal(RoundLogAppendOutcome.Appended, o));
        Assert.Equal(2, await OnActivation(() => appender.Batches));
        Assert.Equal(28, await OnActivation(() => appender.NextSequence));
    }

    [Fact]
    public async Task A_batch_holds_at_most_its_event_limit_and_the_rest_follows()
    {
        GroupLogAppender appender = await OnActivation(() => new GroupLogAppender(WriteAsync, stream: 0, nextSequence: 0));
        int count = GroupLogAppender.MaxBatchEvents + 5;
        Task<RoundLogAppendOutcome>[] all = await OnActivation(() => Enumerable.Range(0, count).Select(_ => appender.AppendAsync(1, new byte[1])).ToArray());

        await WritesStartedAsync(1);
        Assert.Equal(GroupLogAppender.MaxBatchEvents, _writes[0].Events.Count);
        _writes[0].Done.SetResult(RoundLogAppendOutcome.Appended);
        await WritesStartedAsync(2);
        Assert.Equal(5, _writes[1].Events.Count);
        _writes[1].Done.SetResult(RoundLogAppendOutcome.Appended);
        Assert.All(await Task.WhenAll(all), o => Assert.Equal(RoundLogAppendOutcome.Appended, o));
    }

    [Fact]
    public async Task A_failed_write_fails_its_batch_and_everything_queued_after_it_and_later_appends_fail_at_once()
    {
        GroupLogAppender appender = await OnActivation(() => new GroupLogAppender(WriteAsync, stream: 0, nextSequence: 0));
        Task<RoundLogAppendOutcome> first = await OnActivation(() => appender.AppendAsync(1, new byte[1]));
        await WritesStartedAsync(1);
        Task<RoundLogAppendOutcome> behind = await OnActivation(() => appender.AppendAsync(1, new byte[1]));

        var down = new InvalidOperationException("database down");
        _writes[0].Done.SetException(down);

        Assert.Same(down, await Assert.ThrowsAsync<InvalidOperationException>(() => first));
        await Assert.ThrowsAsync<InvalidOperationException>(() => behind); // its number would leave a gap
        Task<RoundLogAppendOutcome> later = await OnActivation(() => appender.AppendAsync(1, new byte[1]));
        await Assert.ThrowsAsync<InvalidOperationException>(() => later);
        Assert.Single(_writes); // nothing else was written
    }

    [Fact]
    public async Task A_batch_the_store_refuses_answers_its_waiters_with_the_outcome_and_spends_the_appender()
    {
        GroupLogAppender appender = await OnActivation(() => new GroupLogAppender(WriteAsync, stream: 0, nextSequence: 0));
        Task<RoundLogAppendOutcome> first = await OnActivation(() => appender.AppendAsync(1, new byte[1]));
        await WritesStartedAsync(1);
        Task<RoundLogAppendOutcome> behind = await OnActivation(() => appender.AppendAsync(1, new byte[1]));

        _writes[0].Done.SetResult(RoundLogAppendOutcome.SequenceTaken); // a newer activation wrote this stream

        Assert.Equal(RoundLogAppendOutcome.SequenceTaken, await first);
        await Assert.ThrowsAsync<InvalidOperationException>(() => behind);
        Assert.Single(_writes);
    }

    [Fact]
    public async Task An_event_written_alone_goes_out_by_itself_at_its_number_between_the_batches_around_it()
    {
        GroupLogAppender appender = await OnActivation(() => new GroupLogAppender(WriteAsync, stream: 0, nextSequence: 4));
        Task<RoundLogAppendOutcome> first = await OnActivation(() => appender.AppendAsync(1, new byte[] { 1 }));
        await WritesStartedAsync(1);

        var alone = new List<long>();
        var aloneDone = new TaskCompletionSource<RoundLogAppendOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        (Task<RoundLogAppendOutcome> before, Task<RoundLogAppendOutcome> own, Task<RoundLogAppendOutcome> after) = await OnActivation(() => (
            appender.AppendAsync(1, new byte[] { 2 }),
            appender.AppendAloneAsync(seq =>
            {
                alone.Add(seq);
                return aloneDone.Task;
            }),
            appender.AppendAsync(1, new byte[] { 3 })));
        _writes[0].Done.SetResult(RoundLogAppendOutcome.Appended);

        await WritesStartedAsync(2);
        Assert.Equal([5L], _writes[1].Events.Select(e => e.Sequence)); // the batch stops before the event written alone
        Assert.Empty(alone);
        _writes[1].Done.SetResult(RoundLogAppendOutcome.Appended);
        Assert.Equal(RoundLogAppendOutcome.Appended, await before);

        for (int i = 0; i < 1000 && alone.Count == 0; i++)
        {
            await Task.Delay(10);
        }
        Assert.Equal([6L], alone);
        Assert.Equal(2, _writes.Count); // nothing goes out beside it
        aloneDone.SetResult(RoundLogAppendOutcome.Appended);
        Assert.Equal(RoundLogAppendOutcome.Appended, await own);

        await WritesStartedAsync(3);
        Assert.Equal([7L], _writes[2].Events.Select(e => e.Sequence));
        _writes[2].Done.SetResult(RoundLogAppendOutcome.Appended);
        Assert.Equal(RoundLogAppendOutcome.Appended, await after);
        Assert.Equal(RoundLogAppendOutcome.Appended, await first);
    }

    private Task<RoundLogAppendOutcome> WriteAsync(IReadOnlyList<RoundLogEvent> events)
    {
        var done = new TaskCompletionSource<RoundLogAppendOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_writes)
        {
            _writes.Add((events, done));
        }
        return done.Task;
    }

    private async Task WritesStartedAsync(int count)
    {
        for (int i = 0; i < 1000; i++)
        {
            lock (_writes)
            {
                if (_writes.Count >= count)
                {
                    return;
                }
            }
            await Task.Delay(10);
        }
        throw new TimeoutException($"{count} writes expected, {_writes.Count} started");
    }

    private Task<T> OnActivation<T>(Func<T> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.None, _activation);
}
