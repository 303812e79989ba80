using System.Net;
using SecureFed.Transport;

namespace SecureFed.Aggregator.Tests.Adversary;

/// <summary>
/// One entry of the adversary catalogue: what a malicious client or relay sends (<see cref="Build"/>), when
/// (<see cref="At"/>), and the documented answer: <see cref="Status"/> with problem <see cref="Code"/>, or, when
/// <see cref="Code"/> is null, a 200 that acknowledges an identical resend without counting it again.
/// </summary>
public sealed record AdversaryCase<TContext>(string Id, AttackPoint At, string Attack, HttpStatusCode Status, ProblemCode? Code,
    Func<TContext, HttpRequestMessage> Build);
