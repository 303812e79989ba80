namespace SecureFed.Client.Rounds;

/// <summary>What a party does after a close: envelopes to send, and then, when its part is done, its result.</summary>
internal sealed record PartyStep(IReadOnlyList<PartyEnvelope> Send, ContributionResult? Result = null);
