namespace SecureFed.Aggregator.Http;

/// <summary>
/// A request the service refuses, turned into a problem-details response: <see cref="Code"/> is the stable
/// machine-readable name (protocol-spec/transport.md, "Errors"), the message is the human-readable detail.
/// </summary>
internal sealed class AggregatorProblemException(int statusCode, string code, string detail) : Exception(detail)
{
    public int StatusCode { get; } = statusCode;

    public string Code { get; } = code;
}
