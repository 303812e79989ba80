using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SecureFed.Primitives.Prg;

/// <summary>
/// AES-256 in counter mode as a keystream generator (protocol-spec/secagg.md, "Mask PRG"): block i of the
/// keystream is AES-256-ECB_k(nonce[0..8] || BE64(i)), i starting at 0. The key is a 32-byte seed; the
/// keystream is never used to encrypt data, only expanded into masks, so no IV reuse concern arises beyond
/// "one seed, one stream". Built on <c>SymmetricAlgorithm.EncryptEcb</c>,
/// which uses AES-NI where the CPU has it.
/// </summary>
public sealed class AesCtrKeystream : IDisposable
{
    /// <summary>AES block size in bytes (FIPS 197).</summary>
    public const int BlockSize = 16;

    /// <summary>Seed (AES-256 key) size in bytes.</summary>
    public const int SeedSize = 32;

    // Counter blocks are produced in chunks this large, then encrypted in one EncryptEcb call: large enough to
    // amortise the call, small enough to stay in L1/L2.
    private const int ChunkBytes = 16 * 1024;

    private readonly Aes? _aes;
    private readonly AesNiCtr? _aesNi;
    private readonly ulong _nonce;
    private ulong _nextBlock;
    private bool _disposed;

    /// <summary>Creates the keystream for <paramref name="seed"/> (32 bytes) with an 8-byte nonce (big-endian in the block).</summary>
    /// <exception cref="ArgumentException">The seed is not 32 bytes.</exception>
    public AesCtrKeystream(ReadOnlySpan<byte> seed, ulong nonce = 0)
    {
        if (seed.Length != SeedSize)
        {
            throw new ArgumentException($"seed must be {SeedSize} bytes, got {seed.Length}", nameof(seed));
        }
        _nonce = nonce;
        if (AesNiCtr.IsSupported)
        {
            _aesNi = new AesNiCtr(seed);
            return;
        }
        _aes = Aes.Create();
        byte[] key = seed.ToArray();
        try
        {
            _aes.Key = key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Index of the next block the stream will produce.</summary>
    public ulong Position => _nextBlock;

    /// <summary>Moves the stream to block <paramref name="blockIndex"/> (random access for parallel expansion).</summary>
    public void Seek(ulong blockIndex) => _nextBlock = blockIndex;

    /// <summary>
    /// Writes the next keystream bytes to <paramref name="destination"/>, whose length must be a multiple of 16.
    /// </summary>
    public void Fill(Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (destination.Length % BlockSize != 0)
        {
            throw new ArgumentException("destination length must be a multiple of 16 bytes", nameof(destination));
        }
        if (_aesNi is not null)
        {
            _aesNi.Generate(_nonce, _nextBlock, destination);
            _nextBlock += (ulong)(destination.Length / BlockSize);
            return;
        }
        FillWithLibraryAes(destination);
    }

    /// <summary>True when blocks are computed with AES-NI instructions rather than the platform's AES-ECB.</summary>
    public bool UsesAesNi => _aesNi is not null;

    /// <summary>The same keystream through <c>SymmetricAlgorithm.EncryptEcb</c>: the reference and the fallback.</summary>
    public static void FillReference(ReadOnlySpan<byte> seed, ulong nonce, ulong firstBlock, Span<byte> destination)
    {
        using var aes = Aes.Create();
        byte[] key = seed.ToArray();
        aes.Key = key;
        CryptographicOperations.ZeroMemory(key);
        byte[] counters = new byte[destination.Length];
        for (int off = 0; off < counters.Length; off += BlockSize)
        {
            BinaryPrimitives.WriteUInt64BigEndian(counters.AsSpan(off, 8), nonce);
            BinaryPrimitives.WriteUInt64BigEndian(counters.AsSpan(off + 8, 8), firstBlock++);
        }
        aes.EncryptEcb(counters, destination, PaddingMode.None);
    }

    private void FillWithLibraryAes(Span<byte> destination)
    {
        byte[] counters = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            while (!destination.IsEmpty)
            {
                int bytes = Math.Min(ChunkBytes, destination.Length);
                Span<byte> ctr = counters.AsSpan(0, bytes);
                for (int off = 0; off < bytes; off += BlockSize)
                {
                    BinaryPrimitives.WriteUInt64BigEndian(ctr.Slice(off, 8), _nonce);
                    BinaryPrimitives.WriteUInt64BigEndian(ctr.Slice(off + 8, 8), _nextBlock++);
                }
                _aes!.EncryptEcb(ctr, destination[..bytes], PaddingMode.None);
                destination = destination[bytes..];
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(counters);
        }
    }

    /// <summary>Releases the AES key schedule.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _aes?.Dispose();
            _aesNi?.Dispose();
            _disposed = true;
        }
    }
}
