namespace SecureFed.Samples.FederatedTraining;

/// <summary>
/// A DP run's measured aggregation error against what its mechanism should add: mean squared error per coordinate
/// of the server's mean, and the interval [Low, High] it must fall in. The interval widens the mechanism's exact
/// range by five standard errors of an MSE estimate over <paramref name="Coordinates"/> Gaussian samples,
/// 5 sqrt(2 / K): a wrong noise scale (too little noise is a privacy bug, too much a utility bug) is caught,
/// an honest run fails with probability of order 1e-6 (the MSE estimate is close to Gaussian at these K).
/// </summary>
internal sealed record NoiseCheck(double Measured, double ExactLow, double ExactHigh, long Coordinates)
{
    public double Slack => 5 * Math.Sqrt(2.0 / Coordinates);

    public double Low => ExactLow * (1 - Slack);

    public double High => ExactHigh * (1 + Slack);

    public bool Within => Measured >= Low && Measured <= High;
}
