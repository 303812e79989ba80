namespace SecureFed.Protocol.Updates;

/// <summary>How a scaled real coordinate becomes an integer (protocol-spec/secagg.md, "Float updates").</summary>
public enum FloatRounding
{
    /// <summary>
    /// Unbiased stochastic rounding: v becomes floor(v) + 1 with probability v - floor(v), else floor(v), with
    /// randomness from the client's CSPRNG, so the decoded average is an unbiased estimate of the true one.
    /// </summary>
    UnbiasedStochastic = 0,
}
