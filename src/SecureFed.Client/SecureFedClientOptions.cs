namespace SecureFed.Client;

/// <summary>Settings of a <see cref="SecureFedClient"/>; checked by <see cref="Validate"/> when the client is created.</summary>
public sealed class SecureFedClientOptions
{
    /// <summary>The aggregator's base URL, e.g. https://aggregator.example:443/.</summary>
    public Uri? ServerUrl { get; set; }

    /// <summary>Timeout of one HTTP attempt (uploads of large vectors need time).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>How long the server may hold one poll for a stage's message (it caps this itself).</summary>
    public TimeSpan PollWait { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Attempts per request on transient failures (network errors, timeouts, 408/429/5xx); every request is idempotent.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>First retry delay; doubled per attempt with jitter, at most <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest delay between two attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Allow http:// to a non-loopback server (off: plain HTTP only to loopback).</summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>
    /// Keep the memory of an HE upload (the update's copy and the encrypted upload, about 2.2x the update's size in the
    /// default layout) from one HE round to the next, so later rounds encrypt into it instead of allocating (on: a device
    /// that takes part round after round; off: a device that must hand that memory back between rounds). Wiped after
    /// each round either way, and dropped when the client is disposed.
    /// </summary>
    public bool KeepHeUploadBuffer { get; set; } = true;

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range; the message names it.</exception>
    public void Validate()
    {
        if (ServerUrl is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("ServerUrl must be an absolute http(s) URL", nameof(ServerUrl));
        }
        if (url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback && !AllowInsecureHttp)
        {
            throw new ArgumentException($"ServerUrl {url} is plain HTTP to a non-loopback host: use https or set AllowInsecureHttp", nameof(ServerUrl));
        }
        if (RequestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("RequestTimeout must be positive", nameof(RequestTimeout));
        }
        if (PollWait < TimeSpan.Zero || PollWait > TimeSpan.FromMinutes(5))
        {
            throw new ArgumentException("PollWait must be in [0, 5 minutes]", nameof(PollWait));
        }
        if (MaxAttempts is < 1 or > 1000)
        {
            throw new ArgumentException("MaxAttempts must be in [1, 1000]", nameof(MaxAttempts));
        }
        if (RetryBaseDelay < TimeSpan.Zero || MaxRetryDelay < RetryBaseDelay)
        {
            throw new ArgumentException("RetryBaseDelay must be non-negative and at most MaxRetryDelay", nameof(RetryBaseDelay));
        }
    }
}
