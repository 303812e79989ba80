using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SecureFed.Aggregator.Diagnostics;
using SecureFed.Transport;

namespace SecureFed.Aggregator.Http;

/// <summary>Turns <see cref="AggregatorProblemException"/> into problem details, any other exception into a
/// <c>500 internal-error</c> problem logged as one line (no stack trace: the input that caused it came from a
/// client), logs each problem response as a refusal (<see cref="AggregatorEventIds.RequestRefused"/>), and records
/// request latency.</summary>
internal sealed class ProblemMiddleware(RequestDelegate next, AggregatorMetrics metrics, ILogger<ProblemMiddleware> log)
{
    // SQLite primary result codes (sqlite.org/rescode.html): SQLITE_IOERR and SQLITE_FULL.
    private const int SqliteIoError = 10, SqliteFull = 13;

    // A 503 storage-unavailable asks the client to come back after this many seconds.
    private const string StorageRetryAfterSeconds = "1";

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
            if (e.Code == ProblemCode.StorageUnavailable)
            {
                context.Response.Headers.RetryAfter = StorageRetryAfterSeconds;
            }
            await ProblemResponses.Problem(e.StatusCode, e.Code, e.Message, e.Error, e.Extensions).ExecuteAsync(context).ConfigureAwait(false);
        }
        catch (SqliteException e) when (!context.Response.HasStarted && (e.SqliteErrorCode & 0xFF) is SqliteFull or SqliteIoError)
        {
            // Disk full or an I/O error: the transaction rolled back, nothing was acknowledged; the caller may retry.
            log.RequestNotStored(context.Request.Method, context.Request.Path.Value ?? "", e.SqliteErrorCode);
            context.Response.Clear();
            context.Response.Headers.RetryAfter = StorageRetryAfterSeconds;
            await ProblemResponses.Problem(ProblemCode.StorageUnavailable, "the request could not be stored; retry").ExecuteAsync(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await ProblemResponses.Problem(e.StatusCode, e.StatusCode == 413 ? ProblemCode.Oversized : ProblemCode.BadRequest, e.Message).ExecuteAsync(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; there is nobody to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            log.UnexpectedFailure(context.Request.Method, context.Request.Path.Value ?? "", e.GetType().Name);
            context.Response.Clear();
            await ProblemResponses.Problem(ProblemCode.InternalError, "the request could not be processed").ExecuteAsync(context).ConfigureAwait(false);
        }
        finally
        {
            if (context.Response.StatusCode >= 400)
            {
                LogRefused(context);
            }
            string group = context.Request.Path.StartsWithSegments("/admin") ? "admin" : context.Request.Path.StartsWithSegments("/v1") ? "client" : "other";
            metrics.RequestDuration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds,
                new KeyValuePair<string, object?>("api", group), new KeyValuePair<string, object?>("status", context.Response.StatusCode));
        }
    }

    // Every refusal, whether thrown (AggregatorProblemException) or returned as a problem result by an endpoint.
    private void LogRefused(HttpContext context)
    {
        ProblemCode? code = ProblemResponses.CodeOf(context);
        if (code == ProblemCode.InternalError)
        {
            return; // logged once, as UnexpectedFailure
        }
        string method = context.Request.Method, path = context.Request.Path.Value ?? "";
        if (code == ProblemCode.RateLimited)
        {
            log.RateLimited(method, path);
            return;
        }
        int status = context.Response.StatusCode;
        LogLevel level = status >= 500 ? LogLevel.Warning : LogLevel.Debug;
        if (log.IsEnabled(level))
        {
            log.RequestRefused(level, method, path, status, code is { } c ? WireNames.Of(c) : "-");
        }
    }
}
