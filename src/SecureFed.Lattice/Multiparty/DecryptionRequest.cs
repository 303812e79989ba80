namespace SecureFed.Lattice.Multiparty;

/// <summary>
/// What the aggregator sends a decryptor: the round, the decryptors that will combine shares (the Lagrange set),
/// and the opening of the aggregate: every included client's <see cref="UploadOpening"/>, keyed by client id.
/// </summary>
public sealed record DecryptionRequest
{
    /// <summary>Round identifier.</summary>
    public long Round { get; init; }

    /// <summary>1-based indices of the decryptors whose shares will be combined (exactly the threshold).</summary>
    public IReadOnlyList<int> Participants { get; init; } = [];

    /// <summary>Client id to the opening of its upload.</summary>
    public IReadOnlyDictionary<int, UploadOpening> Openings { get; init; } = new Dictionary<int, UploadOpening>();
}
