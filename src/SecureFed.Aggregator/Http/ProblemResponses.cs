using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Server;
using SecureFed.Transport;

namespace SecureFed.Aggregator.Http;

/// <summary>Problem-details (RFC 9457) responses: <c>type</c> is <c>urn:securefed:problem:&lt;code&gt;</c> and the
/// extension member <c>code</c> repeats the code for clients.</summary>
internal static class ProblemResponses
{
    public const string TypePrefix = "urn:securefed:problem:";

    public static IResult Problem(ProblemCode code, string detail) => Problem(StatusOf(code), code, detail);

    public static IResult Problem(int status, ProblemCode code, string detail, ConfigurationError? error = null,
        IReadOnlyDictionary<string, object?>? more = null)
    {
        string name = WireNames.Of(code);
        var extensions = new Dictionary<string, object?> { ["code"] = name };
        foreach (var (key, value) in more ?? new Dictionary<string, object?>())
        {
            extensions[key] = value;
        }
        if (error is not null)
        {
            extensions["field"] = error.Field;
            extensions["allowed"] = error.Allowed;
            extensions["got"] = error.Got;
        }
        return new Tagged(code, Results.Problem(detail: detail, statusCode: status, title: name, type: TypePrefix + name, extensions: extensions));
    }

    /// <summary>The problem code a response of this request carried (set when the problem is written), for the refusal log.</summary>
    public static ProblemCode? CodeOf(HttpContext context) => context.Items.TryGetValue(typeof(Tagged), out object? code) ? (ProblemCode)code! : null;

    // Notes the code on the request as the problem is written, whichever endpoint or middleware returned it.
    private sealed class Tagged(ProblemCode code, IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Items[typeof(Tagged)] = code;
            return inner.ExecuteAsync(httpContext);
        }
    }

    /// <summary>The HTTP status of each problem code (protocol-spec/transport.md section 4).</summary>
    public static int StatusOf(ProblemCode code) => code switch
    {
        ProblemCode.Malformed or ProblemCode.BadEnvelopeSignature or ProblemCode.InvalidStage or ProblemCode.InvalidClose
            or ProblemCode.InvalidConfiguration or ProblemCode.InvalidKey or ProblemCode.InvalidFederation
            or ProblemCode.InvalidTokenLifetime or ProblemCode.BadRequest or ProblemCode.InvalidWait => 400,
        ProblemCode.Unsigned or ProblemCode.StaleRequest or ProblemCode.BadRequestSignature or ProblemCode.Replayed
            or ProblemCode.AdminUnauthorized => 401,
        ProblemCode.UnknownSender or ProblemCode.NotEnrolled or ProblemCode.Revoked or ProblemCode.SenderMismatch
            or ProblemCode.InvalidToken => 403,
        ProblemCode.UnknownRound or ProblemCode.UnknownClient or ProblemCode.NoTranscript or ProblemCode.TranscriptsDisabled => 404,
        ProblemCode.WrongStage or ProblemCode.Duplicate or ProblemCode.NotExpected or ProblemCode.WrongScheme
            or ProblemCode.RosterTooSmall or ProblemCode.RosterFull or ProblemCode.RoundRunning or ProblemCode.PrivacyBudgetExhausted
            or ProblemCode.PrivacyBudgetUnset or ProblemCode.RoundNotCompleted => 409,
        ProblemCode.RoundClosed or ProblemCode.NotARecipient or ProblemCode.StageOver or ProblemCode.RoundCompleted => 410,
        ProblemCode.Oversized => 413,
        ProblemCode.InvalidContent or ProblemCode.WrongLength => 422,
        ProblemCode.RateLimited or ProblemCode.TooManyRounds => 429,
        ProblemCode.InternalError => 500,
        ProblemCode.StorageUnavailable => 503,
        _ => 400,
    };

    /// <summary>The problem code of a protocol refusal (protocol-spec/transport.md, "Errors").</summary>
    public static ProblemCode ForRejection(RejectionReason reason) => reason switch
    {
        RejectionReason.Malformed => ProblemCode.Malformed,
        RejectionReason.Oversized => ProblemCode.Oversized,
        RejectionReason.UnknownSender => ProblemCode.UnknownSender,
        RejectionReason.WrongStage => ProblemCode.WrongStage,
        RejectionReason.Duplicate => ProblemCode.Duplicate,
        RejectionReason.BadSignature => ProblemCode.BadEnvelopeSignature,
        RejectionReason.NotExpected => ProblemCode.NotExpected,
        RejectionReason.InvalidContent => ProblemCode.InvalidContent,
        RejectionReason.WrongLength => ProblemCode.WrongLength,
        RejectionReason.RoundClosed => ProblemCode.RoundClosed,
        _ => ProblemCode.Malformed,
    };
}
