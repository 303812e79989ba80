using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SecureFed.Primitives.Randomness;

/// <summary>
/// A reproducible random source: the AES-256-CTR keystream of SHA-256("SecureFed/deterministic-rng/v1" || seed).
/// For simulations with --seed, tests and test vectors only; a deployment uses <see cref="SystemRandomSource"/>.
/// Not thread-safe.
/// </summary>
public sealed class DeterministicRandomSource : IRandomSource, IDisposable
{
    private static readonly byte[] Domain = "SecureFed/deterministic-rng/v1"u8.ToArray();
    private readonly KeystreamRandomSource _stream;

    /// <summary>Creates the source for an integer seed (encoded as 8 bytes little-endian).</summary>
    public DeterministicRandomSource(long seed)
        : this(SeedBytes(seed))
    {
    }

    /// <summary>Creates the source for an arbitrary byte seed.</summary>
    public DeterministicRandomSource(ReadOnlySpan<byte> seed)
    {
        Span<byte> key = stackalloc byte[32];
        using (var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            h.AppendData(Domain);
            h.AppendData(seed);
            h.GetHashAndReset(key);
        }
        _stream = new KeystreamRandomSource(key);
        CryptographicOperations.ZeroMemory(key);
    }

    /// <summary>
    /// A source for one purpose and index under a master seed, e.g. ("client", 7): the seed bytes are
    /// UTF-8(purpose) || 0x00 || LE64(seed) || LE64(index). Stable across processes and platforms (unlike
    /// <see cref="HashCode"/>, which is randomised per process).
    /// </summary>
    public static DeterministicRandomSource Derive(long seed, string purpose, long index = 0)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        byte[] label = System.Text.Encoding.UTF8.GetBytes(purpose);
        var bytes = new byte[label.Length + 17];
        label.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(label.Length + 1), seed);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(label.Length + 9), index);
        return new DeterministicRandomSource(bytes);
    }

    private static byte[] SeedBytes(long seed)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(b, seed);
        return b;
    }

    /// <inheritdoc />
    public void Fill(Span<byte> destination) => _stream.Fill(destination);

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
