namespace SecureFed.Cli.Commands;

/// <summary>
/// What an HE swarm run does: devices (the first <paramref name="Decryptors"/> of them also decrypt), vector shape,
/// uploaders that go offline before uploading, whether one decryptor of the first attempt goes silent, deadlines
/// (<paramref name="DecryptDeadlineSeconds"/> for H3) and the input seed.
/// </summary>
internal sealed record SwarmHePlan(int Clients, int Decryptors, int? Threshold, int Length, int Bits, int Dropouts, bool DecryptorDropout,
    double DeadlineSeconds, double DecryptDeadlineSeconds, long Seed);
