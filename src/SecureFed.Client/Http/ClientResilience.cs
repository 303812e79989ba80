using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using SecureFed.Client.Diagnostics;
using SecureFed.Transport;

namespace SecureFed.Client.Http;

/// <summary>
/// The client's resilience pipeline (Microsoft.Extensions.Http.Resilience): the standard handler's retry strategy
/// (<see cref="HttpRetryStrategyOptions"/>: transient network errors, attempt timeouts, 408, 429 and 5xx; exponential
/// backoff with jitter; Retry-After honoured) plus a refusal as <c>stale-request</c> (a request signed just before the
/// server restarted), and a timeout per attempt (the request's own: uploads and long polls differ).
/// </summary>
internal static class ClientResilience
{
    /// <summary>The timeout of each attempt of this request.</summary>
    public static readonly HttpRequestOptionsKey<TimeSpan> AttemptTimeout = new("SecureFed.AttemptTimeout");

    public static ResiliencePipeline<HttpResponseMessage> Pipeline(SecureFedClientOptions options, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
                ShouldHandle = async args => HttpClientResiliencePredicates.IsTransient(args.Outcome) || IsUnwrappedNetworkFailure(args.Outcome.Exception)
                    || await IsStaleAsync(args.Outcome.Result).ConfigureAwait(false),
                OnRetry = args =>
                {
                    HttpRequestMessage? request = args.Context.GetRequestMessage();
                    logger.RetryingRequest(request?.Method.Method ?? "?", request?.RequestUri?.AbsolutePath ?? "?", args.AttemptNumber + 1,
                        args.Outcome.Result is { } r ? ((int)r.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : args.Outcome.Exception?.GetType().Name ?? "?",
                        args.RetryDelay);
                    return default;
                },
            });
        }
        builder.AddTimeout(new HttpTimeoutStrategyOptions
        {
            TimeoutGenerator = args => new ValueTask<TimeSpan>(
                args.Context.GetRequestMessage()?.Options.TryGetValue(AttemptTimeout, out TimeSpan t) == true ? t : options.RequestTimeout),
        });
        return builder.Build();
    }

    /// <summary>True when the outcome is a transient failure that survived every attempt (what the caller reports as unreachable).</summary>
    public static bool IsTransientFailure(HttpStatusCode status) => status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
        || (int)status >= 500;

    /// <summary>
    /// True for a socket or stream failure that reached us without HttpClient's <see cref="HttpRequestException"/>
    /// wrapper (seen when a connection is reset while a long poll is sent). The standard predicate only knows the wrapped
    /// form, so without this a server restart could end a contribution instead of being retried.
    /// </summary>
    public static bool IsUnwrappedNetworkFailure(Exception? failure) => failure is System.Net.Sockets.SocketException or IOException;

    // A 401 whose problem code (read as every refusal is, SignedRequestSender.Refusal) is stale-request.
    private static async ValueTask<bool> IsStaleAsync(HttpResponseMessage? response) =>
        response is { StatusCode: HttpStatusCode.Unauthorized }
        && SignedRequestSender.Refusal(response.StatusCode, await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false)).Problem == ProblemCode.StaleRequest;
}
