using SecureFed.Primitives.Randomness;

namespace SecureFed.Testing.Vectors;

/// <summary>Returns the given bytes in order (e.g. Shamir coefficients as 8-byte little-endian words); throws when exhausted.</summary>
public sealed class ReplayRandomSource(byte[] bytes) : IRandomSource
{
    private int _offset;

    public void Fill(Span<byte> destination)
    {
        if (_offset + destination.Length > bytes.Length)
        {
            throw new InvalidOperationException("replay source exhausted");
        }
        bytes.AsSpan(_offset, destination.Length).CopyTo(destination);
        _offset += destination.Length;
    }
}
