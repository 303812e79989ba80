using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using SecureFed.Aggregator.Http;
using SecureFed.Transport;

namespace SecureFed.Aggregator.Tests.Memory;

/// <summary>
/// Poll answers sent to many pollers at once stay bounded in memory (issue 14 item 5): a large shared answer reaches the
/// response a chunk at a time, each flushed (so Kestrel's backpressure applies before the next is copied), and at most
/// the writer's slots write large answers at once; the bytes, status and headers are those of before. Counted with a
/// response body that records what it holds unflushed, never timed.
/// </summary>
public sealed class SharedAnswerWriterTests
{
    private const int LargeBody = 1 << 20;

    [Fact]
    public async Task A_large_answer_is_handed_over_a_flushed_chunk_at_a_time_with_its_bytes_and_headers()
    {
        using var writer = new SharedAnswerWriter();
        byte[] body = Body(LargeBody, 1);
        var tracker = new ActiveWrites();
        (HttpContext context, RecordingBody recorded) = Context(tracker, body.Length, Task.CompletedTask);

        await writer.Answer(body).ExecuteAsync(context);

        Assert.Equal(body, recorded.Written);
        Assert.InRange(recorded.MostUnflushed, 1, SharedAnswerWriter.ChunkBytes); // one write of the whole body held all of it
        Assert.Equal((200, TransportHeaders.MessagePack, (long?)body.Length), (context.Response.StatusCode, context.Response.ContentType, context.Response.ContentLength));
    }

    [Fact]
    public async Task At_most_the_slots_write_large_answers_at_once_and_the_others_start_as_slots_free()
    {
        const int Slots = 2, Pollers = 5;
        using var writer = new SharedAnswerWriter(Slots);
        var tracker = new ActiveWrites();
        var flushes = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        byte[] shared = Body(LargeBody, 2);
        var answers = new List<(Task Done, RecordingBody Recorded)>();
        for (int i = 0; i < Pollers; i++)
        {
            (HttpContext context, RecordingBody recorded) = Context(tracker, shared.Length, flushes.Task);
            answers.Add((writer.Answer(shared).ExecuteAsync(context), recorded));
        }

        // Every flush waits: the answers that got a slot hold one chunk each, the others have sent nothing (no headers either).
        Assert.Equal(Slots, answers.Count(a => a.Recorded.Written.Length > 0));
        Assert.All(answers.Where(a => a.Recorded.Written.Length > 0), a => Assert.Equal(SharedAnswerWriter.ChunkBytes, a.Recorded.Written.Length));

        flushes.SetResult();
        await Task.WhenAll(answers.Select(a => a.Done));
        Assert.All(answers, a => Assert.Equal(shared, a.Recorded.Written));
        Assert.Equal(Slots, tracker.Most);
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_cut_off_and_its_slot_goes_to_the_next_answer()
    {
        using var writer = new SharedAnswerWriter(1, TimeSpan.FromMilliseconds(200));
        byte[] shared = Body(LargeBody, 4);
        var tracker = new ActiveWrites();
        (HttpContext stuck, RecordingBody stuckBody) = Context(tracker, shared.Length, new TaskCompletionSource().Task); // never reads
        var aborted = new AbortRecorder();
        stuck.Features.Set<IHttpRequestLifetimeFeature>(aborted);
        (HttpContext reader, RecordingBody read) = Context(tracker, shared.Length, Task.CompletedTask);

        Task stuckAnswer = writer.Answer(shared).ExecuteAsync(stuck);
        Task readAnswer = writer.Answer(shared).ExecuteAsync(reader);
        Assert.Empty(read.Written); // waiting for the one slot

        await stuckAnswer.WaitAsync(TimeSpan.FromSeconds(30));
        await readAnswer.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(aborted.Aborted);
        Assert.Equal(SharedAnswerWriter.ChunkBytes, stuckBody.Written.Length);
        Assert.Equal(shared, read.Written);
        Assert.Equal(1, writer.Stalled);
    }

    [Fact]
    public async Task A_small_answer_is_written_whole_as_before()
    {
        using var writer = new SharedAnswerWriter(1);
        byte[] body = Body(SharedAnswerWriter.LargeBodyBytes - 1, 3);
        (HttpContext context, RecordingBody recorded) = Context(new ActiveWrites(), body.Length, Task.CompletedTask);

        await writer.Answer(body).ExecuteAsync(context);

        Assert.Equal(body, recorded.Written);
        Assert.Equal((200, TransportHeaders.MessagePack, (long?)body.Length), (context.Response.StatusCode, context.Response.ContentType, context.Response.ContentLength));
    }

    private static byte[] Body(int length, int seed)
    {
        byte[] body = new byte[length];
        new Random(seed).NextBytes(body);
        return body;
    }

    private static (HttpContext, RecordingBody) Context(ActiveWrites tracker, int expected, Task flushes)
    {
        var recorded = new RecordingBody(tracker, expected, flushes);
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Features.Set<IHttpResponseBodyFeature>(new RecordingBodyFeature(recorded));
        return (context, recorded);
    }

    // Answers begun (a first byte handed over) and not yet whole, and the most at any one time.
    private sealed class ActiveWrites
    {
        private readonly Lock _gate = new();
        private int _active;
        private int _most;

        public int Most
        {
            get
            {
                lock (_gate)
                {
                    return _most;
                }
            }
        }

        public void Started()
        {
            lock (_gate)
            {
                _most = Math.Max(_most, ++_active);
            }
        }

        public void Finished()
        {
            lock (_gate)
            {
                _active--;
            }
        }
    }

    // A response body as Kestrel's output pipe sees it: bytes handed over pile up until a flush takes them; a flush
    // completes when `flushes` does (a client that has not read yet).
    private sealed class RecordingBody(ActiveWrites tracker, int expected, Task flushes) : PipeWriter
    {
        private readonly ArrayBufferWriter<byte> _written = new();
        private int _unflushed;

        public byte[] Written => _written.WrittenSpan.ToArray();

        public int MostUnflushed { get; private set; }

        public override void Advance(int bytes)
        {
            if (_written.WrittenCount == 0 && bytes > 0)
            {
                tracker.Started();
            }
            _written.Advance(bytes);
            _unflushed += bytes;
            MostUnflushed = Math.Max(MostUnflushed, _unflushed);
            if (_written.WrittenCount == expected)
            {
                tracker.Finished();
            }
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => _written.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => _written.GetSpan(sizeHint);

        public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            await flushes.WaitAsync(cancellationToken);
            _unflushed = 0;
            return new FlushResult(isCanceled: false, isCompleted: false);
        }

        public override void CancelPendingFlush()
        {
        }

        public override void Complete(Exception? exception = null)
        {
        }
    }

    private sealed class AbortRecorder : IHttpRequestLifetimeFeature
    {
        public CancellationToken RequestAborted { get; set; }

        public bool Aborted { get; private set; }

        public void Abort() => Aborted = true;
    }

    private sealed class RecordingBodyFeature(RecordingBody body) : IHttpResponseBodyFeature
    {
        public Stream Stream { get; } = body.AsStream();

        public PipeWriter Writer => body;

        public void DisableBuffering()
        {
        }

        public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task CompleteAsync() => Task.CompletedTask;
    }
}
