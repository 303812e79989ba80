namespace SecureFed.Lattice.Seal;

/// <summary>
/// The parameters or object cannot be expressed in SEAL 4.1's format; <see cref="Refusal"/> says which rule. Raised
/// before any byte is written.
/// </summary>
public sealed class SealExportException : Exception
{
    /// <summary>Creates the exception for <paramref name="refusal"/>.</summary>
    public SealExportException(SealExportRefusal refusal, string message)
        : base(message)
    {
        Refusal = refusal;
    }

    /// <summary>The rule the export broke.</summary>
    public SealExportRefusal Refusal { get; }
}
