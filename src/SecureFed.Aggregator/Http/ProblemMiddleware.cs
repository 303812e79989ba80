using System.Diagnostics;
using SecureFed.Aggregator.Diagnostics;
using SecureFed.Transport;

namespace SecureFed.Aggregator.Http;

/// <summary>Turns <see cref="AggregatorProblemException"/> into problem details and records request latency.</summary>
internal sealed class ProblemMiddleware(RequestDelegate next, AggregatorMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (AggregatorProblemException e) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await ProblemResponses.Problem(e.StatusCode, e.Code, e.Message, e.Error).ExecuteAsync(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await ProblemResponses.Problem(e.StatusCode, e.StatusCode == 413 ? ProblemCode.Oversized : ProblemCode.BadRequest, e.Message).ExecuteAsync(context).ConfigureAwait(false);
        }
        finally
        {
            string group = context.Request.Path.StartsWithSegments("/admin") ? "admin" : context.Request.Path.StartsWithSegments("/v1") ? "client" : "other";
            metrics.RequestDuration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds,
                new KeyValuePair<string, object?>("api", group), new KeyValuePair<string, object?>("status", context.Response.StatusCode));
        }
    }
}
