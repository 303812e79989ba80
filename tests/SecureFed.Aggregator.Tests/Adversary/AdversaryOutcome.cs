using System.Net;

namespace SecureFed.Aggregator.Tests.Adversary;

/// <summary>What the service answered to one adversary case, and the round's state around it.</summary>
public sealed record AdversaryOutcome(HttpStatusCode Status, string? Code, string Body, RoundSnapshot Before, RoundSnapshot After);
