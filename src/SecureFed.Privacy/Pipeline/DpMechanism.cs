namespace SecureFed.Privacy.Pipeline;

/// <summary>Which integer noise each client adds.</summary>
public enum DpMechanism
{
    /// <summary>Distributed discrete Gaussian (Kairouz, Liu and Steinke 2021): fast exact sampler, the default.</summary>
    DiscreteGaussian = 0,

    /// <summary>Distributed Skellam (Agarwal, Kairouz and Liu 2021): closed under summation; sampling cost grows with the variance.</summary>
    Skellam = 1,
}
