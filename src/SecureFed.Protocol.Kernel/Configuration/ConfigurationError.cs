namespace SecureFed.Protocol.Configuration;

/// <summary>
/// Why a round configuration cannot be used, as a value: the field at fault, what it must be, and what it was. It
/// travels unchanged from the parameter object to the service's <c>invalid-configuration</c> problem
/// (protocol-spec/transport.md section 4: the members <c>field</c>, <c>allowed</c> and <c>got</c>).
/// </summary>
/// <param name="Field">The field, e.g. "Threshold" or "Vectors[1].Bits".</param>
/// <param name="Allowed">What the field must be, e.g. "in [1, 64]" or "16 bytes".</param>
/// <param name="Got">The value it had, when showing it helps (never a secret).</param>
public sealed record ConfigurationError(string Field, string Allowed, string? Got = null)
{
    /// <summary>The error with its field renamed (a request names some configuration fields differently).</summary>
    public ConfigurationError WithField(string field) => this with { Field = field };

    /// <inheritdoc />
    public override string ToString() => Got is null ? $"{Field}: must be {Allowed}" : $"{Field}: must be {Allowed}, got {Got}";
}
