using System.Security.Cryptography;

namespace SecureFed.Primitives.Secrets;

/// <summary>
/// A pinned byte buffer holding secret material (seeds, key bytes, shares), wiped on <see cref="Dispose"/>.
/// Pinned so the GC never leaves an unwiped copy behind when it compacts the heap.
/// <see cref="ToString"/> never shows the contents.
/// </summary>
public sealed class SecretBuffer : IDisposable
{
    private readonly byte[] _bytes;
    private bool _disposed;

    /// <summary>Allocates a zeroed secret buffer of <paramref name="length"/> bytes.</summary>
    public SecretBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _bytes = GC.AllocateArray<byte>(length, pinned: true);
    }

    /// <summary>Copies <paramref name="source"/> into a new secret buffer (the caller wipes its own copy).</summary>
    public static SecretBuffer CopyOf(ReadOnlySpan<byte> source)
    {
        var s = new SecretBuffer(source.Length);
        source.CopyTo(s._bytes);
        return s;
    }

    /// <summary>Length in bytes.</summary>
    public int Length => _bytes.Length;

    /// <summary>The secret bytes. Valid until <see cref="Dispose"/>; do not keep the span.</summary>
    /// <exception cref="ObjectDisposedException">The buffer was wiped.</exception>
    public Span<byte> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _bytes;
        }
    }

    /// <summary>Wipes the bytes.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_bytes);
        _disposed = true;
    }

    /// <inheritdoc />
    public override string ToString() => $"SecretBuffer({_bytes.Length} bytes)";
}
