namespace SecureFed.HeProtocol.Server;

/// <summary>A decryptor (client id) the server left out of a round's decryption, and why.</summary>
public sealed record HeDecryptorExclusion(uint DecryptorId, HeExclusionReason Reason);
