namespace SecureFed.Cli.Commands;

/// <summary>
/// What an HE swarm adds to the shared shape: decryptors (the first <paramref name="Decryptors"/> devices), their
/// threshold, uploaders that go offline before uploading, whether one decryptor of the first attempt goes silent,
/// and the deadline of each decryption attempt.
/// </summary>
internal sealed record SwarmHePlan(int Decryptors, int? Threshold, int Dropouts, bool DecryptorDropout, double DecryptDeadlineSeconds);
