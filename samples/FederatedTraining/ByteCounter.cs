namespace SecureFed.Samples.FederatedTraining;

/// <summary>Counts the bytes of request and response bodies the devices exchanged with the service.</summary>
internal sealed class ByteCounter
{
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    private void Add(long bytes) => Interlocked.Add(ref _total, bytes);

    /// <summary>The devices' HTTP handler: counts each body (headers excluded) on its way.</summary>
    public sealed class Handler(ByteCounter counter) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            counter.Add(request.Content?.Headers.ContentLength ?? 0);
            HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            counter.Add(response.Content.Headers.ContentLength ?? 0);
            return response;
        }
    }
}
