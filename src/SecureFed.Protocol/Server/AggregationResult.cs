namespace SecureFed.Protocol.Server;

/// <summary>The output of a completed round: the sum mod 2^bits of the survivors' inputs, per vector.</summary>
public sealed class AggregationResult(IReadOnlyList<ulong[]> sums, IReadOnlyList<uint> survivors, IReadOnlyList<uint> dropped)
{
    /// <summary>One sum per configured vector.</summary>
    public IReadOnlyList<ulong[]> Sums { get; } = sums;

    /// <summary>The clients whose inputs are in the sum (U3), ascending.</summary>
    public IReadOnlyList<uint> Survivors { get; } = survivors;

    /// <summary>Clients that shared keys but dropped before sending masked input (their masks were removed).</summary>
    public IReadOnlyList<uint> Dropped { get; } = dropped;
}
