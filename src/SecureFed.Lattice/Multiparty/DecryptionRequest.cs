namespace SecureFed.Lattice.Multiparty;

/// <summary>
/// What the aggregator sends a decryptor: the round, the decryptors that will combine shares (the Lagrange set),
/// and the opening of the aggregate: every included client's upload bytes, keyed by client id.
/// </summary>
public sealed record DecryptionRequest
{
    /// <summary>Round identifier.</summary>
    public long Round { get; init; }

    /// <summary>1-based indices of the decryptors whose shares will be combined (exactly the threshold).</summary>
    public IReadOnlyList<int> Participants { get; init; } = [];

    /// <summary>Client id to serialized upload (a ciphertext vector at the upload level).</summary>
    public IReadOnlyDictionary<int, byte[]> Openings { get; init; } = new Dictionary<int, byte[]>();
}
