namespace SecureFed.Client;

/// <summary>A step of <see cref="SecureFedClient.ContributeAsync(string, ulong[][], CancellationToken)"/>.</summary>
public sealed class ContributionProgressEventArgs(string roundId, uint clientId, int stage, string step) : EventArgs
{
    /// <summary>The round.</summary>
    public string RoundId { get; } = roundId;

    /// <summary>This client's id in the round (0 before the configuration was read).</summary>
    public uint ClientId { get; } = clientId;

    /// <summary>The protocol stage, 0..4 (HE rounds: 0..3 = H0..H3).</summary>
    public int Stage { get; } = stage;

    /// <summary>What happened: "configuration", "sent", "received", "completed"; HE decryptors also "key-share-ready" and
    /// "decryption-request" (raised before the share is computed and sent).</summary>
    public string Step { get; } = step;
}
