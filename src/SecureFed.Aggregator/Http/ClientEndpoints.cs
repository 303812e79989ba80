using MessagePack;
using Microsoft.Extensions.Options;
using SecureFed.Aggregator.Hosting;
using SecureFed.Aggregator.Rounds;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;
using SecureFed.Transport;

namespace SecureFed.Aggregator.Http;

/// <summary>The client API under /v1 (MessagePack bodies, every request signed; protocol-spec/transport.md).</summary>
internal static class ClientEndpoints
{
    // Enrolment and round-info bodies are tiny; 4 KiB leaves room for framing.
    internal const long SmallBodyLimit = 4096;

    public const string RateLimitPolicy = "client";

    // Close indices a poll may name (transport.md 2.2): far above any round's closes, small enough to refuse nonsense.
    private const int MaxCloseIndex = 1_000;

    private static readonly MessagePackSerializerOptions Untrusted = MessagePackSerializerOptions.Standard.WithSecurity(MessagePackSecurity.UntrustedData);

    public static void Map(IEndpointRouteBuilder app)
    {
        RouteGroupBuilder v1 = app.MapGroup("/v1").RequireRateLimiting(RateLimitPolicy);
        v1.MapGet("/rounds/{roundId}", GetRoundAsync);
        v1.MapPost("/rounds/{roundId}/messages", PostMessageAsync);
        v1.MapGet("/rounds/{roundId}/messages/{stage:int}", PollAsync);
        v1.MapGet("/rounds/{roundId}/he/closes/{close:int}", PollCloseAsync);
        v1.MapPost("/enrol", EnrolAsync);
        v1.MapGet("/rounds/{roundId}/result", RoundResults.GetAsync);
    }

    private static async Task<IResult> GetRoundAsync(string roundId, HttpContext context, RoundCoordinator rounds, RequestAuthenticator auth)
    {
        RoundRuntime rt = rounds.Get(roundId);
        AuthenticatedRequest request = await auth.AuthenticateAsync(context, SmallBodyLimit).ConfigureAwait(false);
        Member(rt, request, rounds);
        byte[] info = rt.InfoBytes(() => MessageCodec.Encode(new RoundInfo
        {
            Scheme = WireNames.Of(rt.Server.Scheme),
            Configuration = rt.Server.Configuration.ToArray(),
            Stage = rt.End is null && rt.Server.Progress is { } p ? p.Stage : -1,
            Status = WireNames.Of(rt.Phase),
            StageDeadlineUnixMs = rt.StageDeadlineMs,
            Closes = rt.Closes,
        }));
        return Results.Bytes(info, TransportHeaders.MessagePack);
    }

    private static async Task<IResult> PostMessageAsync(string roundId, HttpContext context, RoundCoordinator rounds, RequestAuthenticator auth)
    {
        RoundRuntime rt = rounds.Get(roundId);
        AuthenticatedRequest request = await auth.AuthenticateAsync(context, rt.Server.MaxEnvelopeBytes).ConfigureAwait(false);
        uint clientId = Member(rt, request, rounds);
        SubmitOutcome outcome = await rounds.SubmitAsync(rt, clientId, request.Body, context.RequestAborted).ConfigureAwait(false);
        if (outcome.Rejection is { } r)
        {
            return ProblemResponses.Problem(ProblemResponses.ForRejection(r.Reason), r.Detail);
        }
        return Results.Json(new { status = outcome.AlreadyAccepted ? "already-accepted" : "accepted" }, statusCode: 200);
    }

    // Rounds that send one message per stage: long-polls for the caller's message of `stage`.
    private static async Task<IResult> PollAsync(string roundId, int stage, HttpContext context, RoundCoordinator rounds,
        RequestAuthenticator auth, IOptions<AggregatorOptions> options)
    {
        RoundRuntime rt = rounds.Get(roundId);
        if (rt.Server.Delivery != ServerDelivery.OnePerStage)
        {
            throw new AggregatorProblemException(ProblemCode.WrongScheme, $"round {roundId} sends several messages per close; poll /v1/rounds/{{id}}/he/closes/{{n}}");
        }
        AuthenticatedRequest request = await auth.AuthenticateAsync(context, SmallBodyLimit).ConfigureAwait(false);
        uint clientId = Member(rt, request, rounds);
        if (stage < 0 || stage >= rt.Server.StageCount)
        {
            throw new AggregatorProblemException(ProblemCode.InvalidStage, $"stage must be 0..{rt.Server.StageCount - 1}, got {stage}");
        }
        PollOutcome outcome = await rounds.PollAsync(rt, () => rt.LookupStage(clientId, stage), o => o.Ready, o => o.Bytes,
            TimeSpan.FromSeconds(PollWait(context, options)), context.RequestAborted).ConfigureAwait(false);
        if (outcome.Bytes is not null)
        {
            return Results.Bytes(outcome.Bytes, TransportHeaders.MessagePack);
        }
        if (outcome.GoneCode is { } gone)
        {
            return ProblemResponses.Problem(gone, outcome.GoneDetail!);
        }
        context.Response.Headers.RetryAfter = "0";
        return Results.NoContent();
    }

    // Rounds that send any number of messages per close: long-polls for the caller's messages from the first close at
    // or after `close`.
    private static async Task<IResult> PollCloseAsync(string roundId, int close, HttpContext context, RoundCoordinator rounds,
        RequestAuthenticator auth, IOptions<AggregatorOptions> options)
    {
        RoundRuntime rt = rounds.Get(roundId);
        if (rt.Server.Delivery != ServerDelivery.LatestClose)
        {
            throw new AggregatorProblemException(ProblemCode.WrongScheme, $"round {roundId} sends one message per stage; poll /v1/rounds/{{id}}/messages/{{stage}}");
        }
        AuthenticatedRequest request = await auth.AuthenticateAsync(context, SmallBodyLimit).ConfigureAwait(false);
        uint clientId = Member(rt, request, rounds);
        if (close is < 0 or > MaxCloseIndex)
        {
            throw new AggregatorProblemException(ProblemCode.InvalidClose, $"close must be 0..{MaxCloseIndex}, got {close}");
        }
        byte[]? delivery = await rounds.PollAsync(rt, () => rt.LookupClose(clientId, close),
            d => d is not null, d => d, TimeSpan.FromSeconds(PollWait(context, options)), context.RequestAborted).ConfigureAwait(false);
        if (delivery is not null)
        {
            return Results.Bytes(delivery, TransportHeaders.MessagePack);
        }
        context.Response.Headers.RetryAfter = "0";
        return Results.NoContent();
    }

    // Both poll endpoints: the caller's wait, at most Aggregator:LongPollSeconds; a non-finite wait is refused.
    internal static double PollWait(HttpContext context, IOptions<AggregatorOptions> options)
    {
        double wait = options.Value.LongPollSeconds;
        if (context.Request.Query.TryGetValue("wait", out var w) && double.TryParse(w, System.Globalization.CultureInfo.InvariantCulture, out double asked))
        {
            // double.TryParse accepts NaN and infinities; Math.Clamp keeps NaN and TimeSpan.FromSeconds throws on it.
            if (!double.IsFinite(asked))
            {
                throw new AggregatorProblemException(ProblemCode.InvalidWait, "wait must be a finite number of seconds");
            }
            wait = Math.Clamp(asked, 0, wait);
        }
        return wait;
    }

    private static async Task<IResult> EnrolAsync(HttpContext context, RoundCoordinator rounds, RequestAuthenticator auth, TimeProvider time)
    {
        AuthenticatedRequest request = await auth.AuthenticateAsync(context, SmallBodyLimit).ConfigureAwait(false);
        EnrolmentRequest body;
        try
        {
            body = MessagePackSerializer.Deserialize<EnrolmentRequest>(request.Body, Untrusted) ?? throw new MessagePackSerializationException("nil");
        }
        catch (MessagePackSerializationException)
        {
            throw new AggregatorProblemException(ProblemCode.Malformed, "the body is not an EnrolmentRequest");
        }
        if (body.Token is not { Length: 64 } || !body.Token.All(char.IsAsciiHexDigit))
        {
            throw new AggregatorProblemException(ProblemCode.InvalidToken, "the enrolment token is unknown, used or expired");
        }
        var (federation, id) = rounds.Roster.Redeem(Convert.FromHexString(body.Token), request.Key.Bytes.ToArray(), time.GetUtcNow().ToUnixTimeMilliseconds());
        return Results.Bytes(MessageCodec.Encode(new EnrolmentResponse { Federation = federation, ClientId = id }), TransportHeaders.MessagePack);
    }

    // The signer must be on the round's roster and not revoked since.
    internal static uint Member(RoundRuntime rt, AuthenticatedRequest request, RoundCoordinator rounds)
    {
        if (!rt.ClientIdsByKey.TryGetValue(request.KeyHex, out uint id))
        {
            throw new AggregatorProblemException(ProblemCode.NotEnrolled, $"this key is not on the roster of round {rt.Id}");
        }
        if (rounds.Roster.IsRevoked(rt.Federation, request.Key.Bytes))
        {
            throw new AggregatorProblemException(ProblemCode.Revoked, "this key was revoked");
        }
        return id;
    }
}
