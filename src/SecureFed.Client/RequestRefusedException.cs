using SecureFed.Protocol.Configuration;
using SecureFed.Transport;

namespace SecureFed.Client;

/// <summary>The server refused a request with a problem-details answer (protocol-spec/transport.md, "Errors"),
/// e.g. <c>not-enrolled</c>, <c>revoked</c>, <c>unknown-round</c>.</summary>
public sealed class RequestRefusedException(int statusCode, string code, string detail)
    : SecureFedException($"the server refused the request ({statusCode} {code}): {detail}")
{
    /// <summary>HTTP status.</summary>
    public int StatusCode { get; } = statusCode;

    /// <summary>The problem code as the server sent it.</summary>
    public string Code { get; } = code;

    /// <summary>The problem code, typed (<see cref="ProblemCode.Unknown"/> for a code this version does not know).</summary>
    public ProblemCode Problem { get; } = WireNames.ParseProblem(code);

    /// <summary>For <c>invalid-configuration</c>: the field at fault, what it must be and what it was (the problem's
    /// <c>field</c>, <c>allowed</c> and <c>got</c> members); null otherwise.</summary>
    public ConfigurationError? InvalidConfiguration { get; init; }
}
