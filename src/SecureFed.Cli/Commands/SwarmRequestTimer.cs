using System.Diagnostics;

namespace SecureFed.Cli.Commands;

/// <summary>
/// One device's HTTP pipeline in a soak run: times each request it forwards to the shared connection pool and keeps the
/// latency of the last message submission answered 2xx. The device's "sent" progress event (raised right after that
/// answer) attributes it to the stage, so retries and long polls never count as a stage's latency.
/// </summary>
internal sealed class SwarmRequestTimer(HttpMessageHandler pool) : DelegatingHandler(pool)
{
    private long _lastSubmitTicks;

    /// <summary>The latency of the last 2xx submission, in milliseconds.</summary>
    public double LastSubmitMs => Volatile.Read(ref _lastSubmitTicks) * 1000.0 / Stopwatch.Frequency;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (request.Method == HttpMethod.Post && response.IsSuccessStatusCode && request.RequestUri?.AbsolutePath.EndsWith("/messages", StringComparison.Ordinal) == true)
        {
            Volatile.Write(ref _lastSubmitTicks, Stopwatch.GetTimestamp() - start);
        }
        return response;
    }

    // The pool is shared by every device and disposed by its owner, never by one device's pipeline.
    protected override void Dispose(bool disposing)
    {
    }
}
