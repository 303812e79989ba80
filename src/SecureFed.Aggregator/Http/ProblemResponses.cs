using SecureFed.HeProtocol.Server;
using SecureFed.Protocol.Server;

namespace SecureFed.Aggregator.Http;

/// <summary>Problem-details (RFC 9457) responses: <c>type</c> is <c>urn:securefed:problem:&lt;code&gt;</c> and the
/// extension member <c>code</c> repeats the code for clients.</summary>
internal static class ProblemResponses
{
    public const string TypePrefix = "urn:securefed:problem:";

    public static IResult Problem(int status, string code, string detail) => Results.Problem(
        detail: detail, statusCode: status, title: code, type: TypePrefix + code,
        extensions: new Dictionary<string, object?> { ["code"] = code });

    /// <summary>The HTTP status and code for a protocol refusal (protocol-spec/transport.md, "Errors").</summary>
    public static (int Status, string Code) ForRejection(RejectionReason reason) => reason switch
    {
        RejectionReason.Malformed => (400, "malformed"),
        RejectionReason.Oversized => (413, "oversized"),
        RejectionReason.UnknownSender => (403, "unknown-sender"),
        RejectionReason.WrongStage => (409, "wrong-stage"),
        RejectionReason.Duplicate => (409, "duplicate"),
        RejectionReason.BadSignature => (400, "bad-envelope-signature"),
        RejectionReason.NotExpected => (409, "not-expected"),
        RejectionReason.InvalidContent => (422, "invalid-content"),
        RejectionReason.WrongLength => (422, "wrong-length"),
        RejectionReason.RoundClosed => (410, "round-closed"),
        _ => (400, "refused"),
    };

    /// <summary>The HTTP status and code for an HE round refusal: the same codes as the masking refusals.</summary>
    public static (int Status, string Code) ForRejection(HeRejectionReason reason) => reason switch
    {
        HeRejectionReason.Malformed => (400, "malformed"),
        HeRejectionReason.Oversized => (413, "oversized"),
        HeRejectionReason.UnknownSender => (403, "unknown-sender"),
        HeRejectionReason.WrongStage => (409, "wrong-stage"),
        HeRejectionReason.Duplicate => (409, "duplicate"),
        HeRejectionReason.BadSignature => (400, "bad-envelope-signature"),
        HeRejectionReason.NotExpected => (409, "not-expected"),
        HeRejectionReason.InvalidContent => (422, "invalid-content"),
        HeRejectionReason.WrongShape => (422, "wrong-length"),
        HeRejectionReason.RoundClosed => (410, "round-closed"),
        _ => (400, "refused"),
    };
}
