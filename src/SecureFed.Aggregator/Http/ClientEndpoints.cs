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
        v1.MapGet("/rounds/{roundId}/result", GetResultAsync);
    }

    // The round info carries the configuration with the whole roster (~400 KB at 10,000 clients), fetched by every
    // client at the start: one shared encoding, written as a poll answer is.
    private static async Task<IResult> GetRoundAsync(string roundId, HttpContext context, IRoundHost rounds, RequestAuthenticator auth,
        SharedAnswerWriter answers)
    {
        var (round, _, _) = await MemberRequestAsync(roundId, context, rounds, auth).ConfigureAwait(false);
        return answers.Answer(await rounds.InfoAsync(round, context.RequestAborted).ConfigureAwait(false));
    }

    private static async Task<IResult> PostMessageAsync(string roundId, HttpContext context, IRoundHost rounds, RequestAuthenticator auth)
    {
        var (round, clientId, request) = await MemberRequestAsync(roundId, context, rounds, auth, envelopeBody: true).ConfigureAwait(false);
        SubmitOutcome outcome = await rounds.SubmitAsync(round, clientId, request.Body, context.RequestAborted).ConfigureAwait(false);
        if (outcome.Rejection is { } r)
        {
            return ProblemResponses.Problem(ProblemResponses.ForRejection(r.Reason), r.Detail);
        }
        return Results.Json(new { status = outcome.AlreadyAccepted ? "already-accepted" : "accepted" }, statusCode: 200);
    }

    // Rounds that send one message per stage: long-polls for the caller's message of `stage`.
    private static async Task<IResult> PollAsync(string roundId, int stage, HttpContext context, IRoundHost rounds,
        RequestAuthenticator auth, IOptions<AggregatorOptions> options, SharedAnswerWriter answers)
    {
        var (round, clientId, _) = await MemberRequestAsync(roundId, context, rounds, auth,
            delivery: (ServerDelivery.OnePerStage, "sends several messages per close; poll /v1/rounds/{id}/he/closes/{n}")).ConfigureAwait(false);
        if (stage < 0 || stage >= round.StageCount)
        {
            throw new AggregatorProblemException(ProblemCode.InvalidStage, $"stage must be 0..{round.StageCount - 1}, got {stage}");
        }
        PollOutcome outcome = await rounds.PollStageAsync(round, clientId, stage, TimeSpan.FromSeconds(PollWait(context, options)), context.RequestAborted).ConfigureAwait(false);
        if (outcome.Bytes is not null)
        {
            return answers.Answer(outcome.Bytes);
        }
        return outcome.GoneCode is { } gone ? ProblemResponses.Problem(gone, outcome.GoneDetail!) : NothingYet(context);
    }

    // Rounds that send any number of messages per close: long-polls for the caller's messages from the first close at
    // or after `close`.
    private static async Task<IResult> PollCloseAsync(string roundId, int close, HttpContext context, IRoundHost rounds,
        RequestAuthenticator auth, IOptions<AggregatorOptions> options, SharedAnswerWriter answers)
    {
        var (round, clientId, _) = await MemberRequestAsync(roundId, context, rounds, auth,
            delivery: (ServerDelivery.LatestClose, "sends one message per stage; poll /v1/rounds/{id}/messages/{stage}")).ConfigureAwait(false);
        if (close is < 0 or > MaxCloseIndex)
        {
            throw new AggregatorProblemException(ProblemCode.InvalidClose, $"close must be 0..{MaxCloseIndex}, got {close}");
        }
        byte[]? delivery = await rounds.PollCloseAsync(round, clientId, close, TimeSpan.FromSeconds(PollWait(context, options)), context.RequestAborted).ConfigureAwait(false);
        return delivery is not null ? answers.Answer(delivery) : NothingYet(context);
    }

    // GET /v1/rounds/{id}/result (transport.md 2.3): a roster member long-polls for the sums of a completed round, which a
    // float round's clients decode into the average with the round's encoding. 204 while the round runs, 409
    // round-not-completed once it was aborted.
    private static async Task<IResult> GetResultAsync(string roundId, HttpContext context, IRoundHost rounds, RequestAuthenticator auth,
        IOptions<AggregatorOptions> options)
    {
        var (round, _, _) = await MemberRequestAsync(roundId, context, rounds, auth).ConfigureAwait(false);
        byte[]? body = await rounds.PollResultAsync(round, TimeSpan.FromSeconds(PollWait(context, options)), context.RequestAborted).ConfigureAwait(false);
        return body is not null ? Results.Bytes(body, TransportHeaders.MessagePack) : NothingYet(context);
    }

    // The poll endpoints: the caller's wait, at most Aggregator:LongPollSeconds; a non-finite wait is refused.
    private static double PollWait(HttpContext context, IOptions<AggregatorOptions> options)
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

    private static async Task<IResult> EnrolAsync(HttpContext context, IRoundHost rounds, RequestAuthenticator auth, TimeProvider time)
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
        var (federation, id) = await rounds.RedeemAsync(Convert.FromHexString(body.Token), request.Key.Bytes.ToArray(), time.GetUtcNow().ToUnixTimeMilliseconds(),
            context.RequestAborted).ConfigureAwait(false);
        return Results.Bytes(MessageCodec.Encode(new EnrolmentResponse { Federation = federation, ClientId = id }), TransportHeaders.MessagePack);
    }

    // Every round endpoint's start: the round (which must deliver as `delivery` says, else the text after "round {id}"
    // says why not), the signed request (an envelope or a small body) and the signer's client id: it must be on the
    // round's roster and not revoked since.
    private static async Task<(HostedRound Round, uint ClientId, AuthenticatedRequest Request)> MemberRequestAsync(string roundId, HttpContext context,
        IRoundHost rounds, RequestAuthenticator auth, bool envelopeBody = false, (ServerDelivery Kind, string Otherwise)? delivery = null)
    {
        HostedRound round = await rounds.FindAsync(roundId, context.RequestAborted).ConfigureAwait(false);
        if (delivery is { } d && round.Delivery != d.Kind)
        {
            throw new AggregatorProblemException(ProblemCode.WrongScheme, $"round {roundId} {d.Otherwise}");
        }
        AuthenticatedRequest request = await auth.AuthenticateAsync(context, envelopeBody ? round.MaxEnvelopeBytes : SmallBodyLimit).ConfigureAwait(false);
        if (!round.ClientIdsByKey.TryGetValue(request.KeyHex, out uint id))
        {
            throw new AggregatorProblemException(ProblemCode.NotEnrolled, $"this key is not on the roster of round {round.Id}");
        }
        if (await rounds.IsRevokedAsync(round.Federation, request.Key.Bytes.ToArray(), context.RequestAborted).ConfigureAwait(false))
        {
            throw new AggregatorProblemException(ProblemCode.Revoked, "this key was revoked");
        }
        return (round, id, request);
    }

    // A long poll's answer when nothing is ready yet: 204 with Retry-After 0 (poll again at once).
    private static IResult NothingYet(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "0";
        return Results.NoContent();
    }
}
