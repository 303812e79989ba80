namespace SecureFed.Privacy.Accounting;

/// <summary>Standard sets of Renyi orders.</summary>
public static class RdpOrders
{
    /// <summary>
    /// TF Privacy's compute_dp_sgd_privacy / MNIST tutorial orders: 1.1, 1.2, ..., 10.9, then 12, 13, ..., 63.
    /// The default for the (subsampled) Gaussian.
    /// </summary>
    public static IReadOnlyList<double> Gaussian { get; } =
        [.. Enumerable.Range(1, 99).Select(x => 1 + (x / 10.0)), .. Enumerable.Range(12, 52).Select(x => (double)x)];

    /// <summary>
    /// Integer orders 2, 3, ..., 128 and 256, as in the distributed DP reference accounting of Kairouz et al. and
    /// Agarwal et al. (their bounds and the subsampling bound of Zhu and Wang 2019 need integer orders).
    /// </summary>
    public static IReadOnlyList<double> Integer { get; } =
        [.. Enumerable.Range(2, 127).Select(x => (double)x), 256.0];
}
