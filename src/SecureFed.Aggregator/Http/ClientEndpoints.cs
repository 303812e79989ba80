using MessagePack;
using Microsoft.Extensions.Options;
using SecureFed.Aggregator.HeRounds;
using SecureFed.Aggregator.Hosting;
using SecureFed.Aggregator.Rounds;
using SecureFed.Protocol.Messages;
using SecureFed.Transport;

namespace SecureFed.Aggregator.Http;

/// <summary>The client API under /v1 (MessagePack bodies, every request signed; protocol-spec/transport.md).</summary>
internal static class ClientEndpoints
{
    // Enrolment and round-info bodies are tiny; 4 KiB leaves room for framing.
    private const long SmallBodyLimit = 4096;

    public const string RateLimitPolicy = "client";

    private static readonly MessagePackSerializerOptions Untrusted = MessagePackSerializerOptions.Standard.WithSecurity(MessagePackSecurity.UntrustedData);

    public static void Map(IEndpointRouteBuilder app)
    {
        RouteGroupBuilder v1 = app.MapGroup("/v1").RequireRateLimiting(RateLimitPolicy);
        v1.MapGet("/rounds/{roundId}", GetRoundAsync);
        v1.MapPost("/rounds/{roundId}/messages", PostMessageAsync);
        v1.MapGet("/rounds/{roundId}/messages/{stage:int}", PollAsync);
        v1.MapGet("/rounds/{roundId}/he/closes/{close:int}", PollHeAsync);
        v1.MapPost("/enrol", EnrolAsync);
    }

    private static async Task<IResult> GetRoundAsync(string roundId, HttpContext context, RoundCoordinator rounds, HeRoundCoordinator heRounds, RequestAuthenticator auth)
    {
        if (heRounds.TryGet(roundId, out HeRoundRuntime he))
        {
            AuthenticatedRequest heRequest = await auth.AuthenticateAsync(context, SmallBodyLimit).ConfigureAwait(false);
            Member(he.ClientIdsByKey, he.Id, he.Federation, heRequest, rounds);
            return Results.Bytes(MessageCodec.Encode(new RoundInfo
            {
                Scheme = Schemes.He,
                Configuration = he.Parameters.EncodedConfiguration.ToArray(),
                Stage = he.State?.Stage is { } hs ? (int)hs : -1,
                Status = he.Status,
                StageDeadlineUnixMs = he.StageDeadlineMs,
                Closes = he.Closes,
            }), TransportHeaders.MessagePack);
        }
        RoundRuntime rt = rounds.Get(roundId);
        AuthenticatedRequest request = await auth.AuthenticateAsync(context, SmallBodyLimit).ConfigureAwait(false);
        Member(rt, request, rounds);
        var info = new RoundInfo
        {
            Configuration = rt.Parameters.EncodedConfiguration.ToArray(),
            Stage = rt.State?.Stage is { } s ? (int)s : -1,
            Status = rt.Status,
            StageDeadlineUnixMs = rt.StageDeadlineMs,
        };
        return Results.Bytes(MessageCodec.Encode(info), TransportHeaders.MessagePack);
    }

    private static async Task<IResult> PostMessageAsync(string roundId, HttpContext context, RoundCoordinator rounds, HeRoundCoordinator heRounds, RequestAuthenticator auth)
    {
        if (heRounds.TryGet(roundId, out HeRoundRuntime he))
        {
            AuthenticatedRequest heRequest = await auth.AuthenticateAsync(context, he.MaxEnvelopeBytes).ConfigureAwait(false);
            uint sender = Member(he.ClientIdsByKey, he.Id, he.Federation, heRequest, rounds);
            HeSubmitOutcome heOutcome = await heRounds.SubmitAsync(he, sender, heRequest.Body, context.RequestAborted).ConfigureAwait(false);
            if (heOutcome.Rejection is { } hr)
            {
                var (heStatus, heCode) = ProblemResponses.ForRejection(hr.Reason);
                return ProblemResponses.Problem(heStatus, heCode, hr.Detail);
            }
            return Results.Json(new { status = heOutcome.AlreadyAccepted ? "already-accepted" : "accepted" }, statusCode: 200);
        }
        RoundRuntime rt = rounds.Get(roundId);
        AuthenticatedRequest request = await auth.AuthenticateAsync(context, rt.MaxEnvelopeBytes).ConfigureAwait(false);
        uint clientId = Member(rt, request, rounds);
        SubmitOutcome outcome = await rounds.SubmitAsync(rt, clientId, request.Body, context.RequestAborted).ConfigureAwait(false);
        if (outcome.Rejection is { } r)
        {
            var (status, code) = ProblemResponses.ForRejection(r.Reason);
            return ProblemResponses.Problem(status, code, r.Detail);
        }
        return Results.Json(new { status = outcome.AlreadyAccepted ? "already-accepted" : "accepted" }, statusCode: 200);
    }

    private static async Task<IResult> PollAsync(string roundId, int stage, HttpContext context, RoundCoordinator rounds, HeRoundCoordinator heRounds,
        RequestAuthenticator auth, IOptions<AggregatorOptions> options)
    {
        if (heRounds.TryGet(roundId, out _))
        {
            throw new AggregatorProblemException(409, "wrong-scheme", $"round {roundId} is an HE round; poll /v1/rounds/{{id}}/he/closes/{{n}}");
        }
        RoundRuntime rt = rounds.Get(roundId);
        AuthenticatedRequest request = await auth.AuthenticateAsync(context, SmallBodyLimit).ConfigureAwait(false);
        uint clientId = Member(rt, request, rounds);
        if (stage is < 0 or > 4)
        {
            throw new AggregatorProblemException(400, "invalid-stage", $"stage must be 0..4, got {stage}");
        }
        PollOutcome outcome = await rounds.PollAsync(rt, clientId, stage, TimeSpan.FromSeconds(PollWait(context, options)), context.RequestAborted).ConfigureAwait(false);
        if (outcome.Bytes is not null)
        {
            return Results.Bytes(outcome.Bytes, TransportHeaders.MessagePack);
        }
        if (outcome.GoneCode is not null)
        {
            return ProblemResponses.Problem(410, outcome.GoneCode, outcome.GoneDetail!);
        }
        context.Response.Headers.RetryAfter = "0";
        return Results.NoContent();
    }

    // HE rounds: long-polls for the caller's messages from the first stage close at or after `close`.
    private static async Task<IResult> PollHeAsync(string roundId, int close, HttpContext context, RoundCoordinator rounds, HeRoundCoordinator heRounds,
        RequestAuthenticator auth, IOptions<AggregatorOptions> options)
    {
        if (!heRounds.TryGet(roundId, out HeRoundRuntime rt))
        {
            _ = rounds.Get(roundId); // 404 for an unknown round
            throw new AggregatorProblemException(409, "wrong-scheme", $"round {roundId} is a masking round; poll /v1/rounds/{{id}}/messages/{{stage}}");
        }
        AuthenticatedRequest request = await auth.AuthenticateAsync(context, SmallBodyLimit).ConfigureAwait(false);
        uint clientId = Member(rt.ClientIdsByKey, rt.Id, rt.Federation, request, rounds);
        if (close is < 0 or > 1_000)
        {
            throw new AggregatorProblemException(400, "invalid-close", $"close must be 0..1000, got {close}");
        }
        HeDeliveryOutcome outcome = await heRounds.PollAsync(rt, clientId, close, TimeSpan.FromSeconds(PollWait(context, options)), context.RequestAborted).ConfigureAwait(false);
        if (outcome.Bytes is not null)
        {
            return Results.Bytes(outcome.Bytes, TransportHeaders.MessagePack);
        }
        context.Response.Headers.RetryAfter = "0";
        return Results.NoContent();
    }

    // Both poll endpoints: the caller's wait, at most Aggregator:LongPollSeconds; a non-finite wait is refused.
    private static double PollWait(HttpContext context, IOptions<AggregatorOptions> options)
    {
        double wait = options.Value.LongPollSeconds;
        if (context.Request.Query.TryGetValue("wait", out var w) && double.TryParse(w, System.Globalization.CultureInfo.InvariantCulture, out double asked))
        {
            // double.TryParse accepts NaN and infinities; Math.Clamp keeps NaN and TimeSpan.FromSeconds throws on it.
            if (!double.IsFinite(asked))
            {
                throw new AggregatorProblemException(400, "invalid-wait", "wait must be a finite number of seconds");
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
            throw new AggregatorProblemException(400, "malformed", "the body is not an EnrolmentRequest");
        }
        if (body.Token is not { Length: 64 } || !body.Token.All(char.IsAsciiHexDigit))
        {
            throw new AggregatorProblemException(403, "invalid-token", "the enrolment token is unknown, used or expired");
        }
        var (federation, id) = rounds.Roster.Redeem(Convert.FromHexString(body.Token), request.Key.Bytes.ToArray(), time.GetUtcNow().ToUnixTimeMilliseconds());
        return Results.Bytes(MessageCodec.Encode(new EnrolmentResponse { Federation = federation, ClientId = id }), TransportHeaders.MessagePack);
    }

    // The signer must be on the round's roster and not revoked since.
    private static uint Member(RoundRuntime rt, AuthenticatedRequest request, RoundCoordinator rounds) =>
        Member(rt.ClientIdsByKey, rt.Id, rt.Federation, request, rounds);

    private static uint Member(IReadOnlyDictionary<string, uint> clientIdsByKey, string roundId, string federation, AuthenticatedRequest request, RoundCoordinator rounds)
    {
        if (!clientIdsByKey.TryGetValue(request.KeyHex, out uint id))
        {
            throw new AggregatorProblemException(403, "not-enrolled", $"this key is not on the roster of round {roundId}");
        }
        if (rounds.Roster.IsRevoked(federation, request.Key.Bytes))
        {
            throw new AggregatorProblemException(403, "revoked", "this key was revoked");
        }
        return id;
    }
}
