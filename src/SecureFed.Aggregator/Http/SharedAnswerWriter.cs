using System.IO.Pipelines;
using SecureFed.Transport;

namespace SecureFed.Aggregator.Http;

/// <summary>
/// Writes the answers that every client of a round fetches at about the same time (MessagePack bodies, 200,
/// Content-Length): a close's poll answer and the round info. Each is one shared array (the key directory is about
/// 1.4 MB at 10,000 clients, the round info 400 KB), but a response that writes it in one call copies it whole into
/// Kestrel's output pipe before any backpressure applies: with every client of the round waiting on a long-poll, the
/// R0 close made n copies (14 GB at 10,000 clients). A large body is therefore written in <see cref="ChunkBytes"/> pieces, each flushed (so the pipe holds
/// at most a chunk over Kestrel's response buffer limit), and at most <c>concurrentLargeBodies</c> are written at once;
/// the other pollers wait for a slot before anything of their answer, headers included, is sent, which also spares the
/// clients from buffering all their answers at once. Small bodies are written as before.
/// </summary>
internal sealed class SharedAnswerWriter : IDisposable
{
    /// <summary>The piece of a large body written (and flushed) at a time.</summary>
    internal const int ChunkBytes = 64 * 1024;

    /// <summary>Bodies longer than one chunk (the key directory from about 460 clients on) are written in chunks under a slot.</summary>
    internal const int LargeBodyBytes = ChunkBytes + 1;

    // Enough to keep loopback and the cores busy; 32 x (chunk + Kestrel's 64 KiB response buffer) = 4 MiB in pipes.
    internal const int DefaultConcurrentLargeBodies = 32;

    // A client that stops reading would otherwise hold its slot until Kestrel's minimum data rate (240 B/s) ends the
    // connection, minutes per chunk; a roster member with a few connections could then stall every large answer.
    // 64 KiB in 10 s is 6.4 KB/s, far below any client that is reading at all.
    internal static readonly TimeSpan DefaultChunkStallLimit = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _slots;
    private readonly TimeSpan _chunkStallLimit;
    private long _stalled;

    public SharedAnswerWriter()
        : this(DefaultConcurrentLargeBodies, DefaultChunkStallLimit)
    {
    }

    internal SharedAnswerWriter(int concurrentLargeBodies)
        : this(concurrentLargeBodies, DefaultChunkStallLimit)
    {
    }

    internal SharedAnswerWriter(int concurrentLargeBodies, TimeSpan chunkStallLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrentLargeBodies, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(chunkStallLimit, TimeSpan.Zero);
        _slots = new SemaphoreSlim(concurrentLargeBodies, concurrentLargeBodies);
        _chunkStallLimit = chunkStallLimit;
    }

    /// <summary>How many answers were cut off because their client stopped reading (diagnostics and tests).</summary>
    public long Stalled => Interlocked.Read(ref _stalled);

    /// <summary>The answer carrying <paramref name="body"/> (kept by reference: many answers share one array).</summary>
    public IResult Answer(byte[] body) =>
        body.Length < LargeBodyBytes ? Results.Bytes(body, TransportHeaders.MessagePack) : new LargeBody(this, body);

    public void Dispose() => _slots.Dispose();

    private async Task WriteAsync(HttpContext context, byte[] body)
    {
        CancellationToken ct = context.RequestAborted;
        await _slots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            HttpResponse response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = TransportHeaders.MessagePack;
            response.ContentLength = body.Length;
            PipeWriter writer = response.BodyWriter;
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
            for (int at = 0; at < body.Length; at += ChunkBytes)
            {
                stall.CancelAfter(_chunkStallLimit);
                FlushResult flushed;
                try
                {
                    // PipeWriter.WriteAsync copies the piece and flushes: it completes once the pipe is below its limit.
                    flushed = await writer.WriteAsync(body.AsMemory(at, Math.Min(ChunkBytes, body.Length - at)), stall.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _stalled);
                    context.Abort(); // the client stopped reading: it retries the poll; the slot goes to the next answer
                    return;
                }
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    return; // the connection is gone: nobody reads the rest
                }
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    private sealed class LargeBody(SharedAnswerWriter writer, byte[] body) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => writer.WriteAsync(httpContext, body);
    }
}
