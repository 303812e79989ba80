namespace SecureFed.Privacy.Accounting;

/// <summary>An (epsilon, delta) guarantee, the Renyi order that gave it and the conversion used.</summary>
/// <param name="Epsilon">The epsilon (0 or more; +infinity when no order gives a finite bound).</param>
/// <param name="Delta">The delta it holds for.</param>
/// <param name="OptimalOrder">The Renyi order alpha that minimised epsilon.</param>
/// <param name="Conversion">Which RDP-to-DP conversion produced the figure.</param>
public sealed record PrivacySpent(double Epsilon, double Delta, double OptimalOrder, EpsilonConversion Conversion);
