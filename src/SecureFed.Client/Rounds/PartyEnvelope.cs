namespace SecureFed.Client.Rounds;

/// <summary>An encoded envelope a party sends, the stage it belongs to, and whether it comes from a role the device can
/// lose without leaving the round (an HE decryptor that also uploads).</summary>
internal sealed record PartyEnvelope(int Stage, byte[] Bytes, bool FromSecondaryRole = false);
