using SecureFed.Protocol.Configuration;
using SecureFed.Transport;

namespace SecureFed.Aggregator.Http;

/// <summary>
/// A request the service refuses, turned into a problem-details response: <see cref="Code"/> is the stable
/// machine-readable code (protocol-spec/transport.md, "Errors"; its HTTP status is <see cref="ProblemResponses.StatusOf"/>),
/// the message is the human-readable detail.
/// </summary>
/// <param name="code">The problem code.</param>
/// <param name="detail">What was wrong, in words (never a secret).</param>
/// <param name="status">The HTTP status where the code's usual one does not fit (transport.md section 4 lists both).</param>
internal sealed class AggregatorProblemException(ProblemCode code, string detail, int? status = null) : Exception(detail)
{
    public int StatusCode { get; } = status ?? ProblemResponses.StatusOf(code);

    public ProblemCode Code { get; } = code;

    /// <summary>For <see cref="ProblemCode.InvalidConfiguration"/>: the field, what it must be and what it was.</summary>
    public ConfigurationError? Error { get; private init; }

    /// <summary>More problem members (e.g. the epsilons of <c>privacy-budget-exhausted</c>), or null.</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; private init; }

    /// <summary>This problem with the typed error of the field at fault.</summary>
    public AggregatorProblemException WithError(ConfigurationError error) => new(Code, Message, StatusCode) { Error = error, Extensions = Extensions };

    /// <summary>This problem with more members.</summary>
    public AggregatorProblemException WithExtensions(IReadOnlyDictionary<string, object?> extensions) => new(Code, Message, StatusCode) { Error = Error, Extensions = extensions };

    /// <summary>An <c>invalid-configuration</c> problem carrying the typed error (the problem's field, allowed and got members).</summary>
    public static AggregatorProblemException InvalidConfiguration(ConfigurationError error) =>
        new(ProblemCode.InvalidConfiguration, error.ToString()) { Error = error };
}
