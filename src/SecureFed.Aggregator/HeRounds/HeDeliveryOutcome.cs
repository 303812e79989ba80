namespace SecureFed.Aggregator.HeRounds;

/// <summary>What a party's poll for an HE close found: the encoded HeDelivery, or null when the close has not happened yet.</summary>
internal sealed record HeDeliveryOutcome(byte[]? Bytes);
