namespace SecureFed.Fuzz;

/// <summary>An input broke a target's pass rule (undocumented exception, hang, or allocation over the bound).</summary>
public sealed class FuzzFailureException(string message, Exception? inner = null) : Exception(message, inner);
