namespace SecureFed.Privacy.Accounting;

/// <summary>How Renyi-DP is converted to (epsilon, delta)-DP.</summary>
public enum EpsilonConversion
{
    /// <summary>
    /// Canonne, Kamath and Steinke 2020 (Proposition 12), as in TF Privacy's compute_eps / dp_accounting's
    /// compute_epsilon: eps = rdp + log1p(-1/alpha) - log(delta·alpha)/(alpha - 1), and eps = 0 when
    /// delta^2 + expm1(-rdp) &gt;= 0; orders at or below 1.01 are skipped. The default.
    /// </summary>
    Improved = 0,

    /// <summary>Mironov 2017 (Proposition 3): eps = rdp + log(1/delta)/(alpha - 1).</summary>
    Classic = 1,
}
