using System.Security.Cryptography;
using SecureFed.Primitives.Prg;

namespace SecureFed.Primitives.Randomness;

/// <summary>
/// The AES-256-CTR keystream of a 32-byte key and nonce as a random source, read in order through a 4 KiB buffer.
/// Used to expand public seeds into common values every party derives alike (e.g. the HE common random polynomial);
/// it is as secret as its key. Not thread-safe.
/// </summary>
public sealed class KeystreamRandomSource : IRandomSource, IDisposable
{
    private readonly AesCtrKeystream _stream;
    private readonly byte[] _buffer = new byte[4096];
    private int _available;

    /// <summary>Creates the source for <paramref name="key"/> (32 bytes) and <paramref name="nonce"/>.</summary>
    public KeystreamRandomSource(ReadOnlySpan<byte> key, ulong nonce = 0)
    {
        _stream = new AesCtrKeystream(key, nonce);
    }

    /// <inheritdoc />
    public void Fill(Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            if (_available == 0 && destination.Length >= _buffer.Length)
            {
                // Whole buffers straight into the destination: the same keystream bytes without the copy.
                int direct = destination.Length - destination.Length % _buffer.Length;
                _stream.Fill(destination[..direct]);
                destination = destination[direct..];
                continue;
            }
            if (_available == 0)
            {
                _stream.Fill(_buffer);
                _available = _buffer.Length;
            }
            int n = Math.Min(_available, destination.Length);
            _buffer.AsSpan(_buffer.Length - _available, n).CopyTo(destination);
            _available -= n;
            destination = destination[n..];
        }
    }

    /// <summary>Wipes the buffered keystream and the key schedule.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_buffer);
        _stream.Dispose();
    }
}
