using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SecureFed.Protocol.Derivation;

// The session id's SHA-256 (SessionDerivation.SessionId) fed one R0 entry at a time. Entries are gathered in a block
// and hashed a block at a time: four hash calls per entry cost several times the hashing itself at 10,000 entries,
// and every client hashes the whole key directory.
internal sealed class SessionIdHasher : IDisposable
{
    private const int BlockSize = 64 * 1024;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _block = ArrayPool<byte>.Shared.Rent(BlockSize);
    private int _used;

    public SessionIdHasher(ReadOnlySpan<byte> configurationHash)
    {
        _hash.AppendData(SessionDerivation.SessionLabel);
        _hash.AppendData(configurationHash);
    }

    // BE32(sender) || BE32(len(body)) || body || signature.
    public void Append(uint sender, ReadOnlySpan<byte> body, ReadOnlySpan<byte> signature)
    {
        int size = 8 + body.Length + signature.Length;
        if (size > _block.Length - _used)
        {
            Flush();
        }
        if (size > _block.Length)
        {
            Span<byte> be = stackalloc byte[8];
            BinaryPrimitives.WriteUInt32BigEndian(be, sender);
            BinaryPrimitives.WriteUInt32BigEndian(be[4..], (uint)body.Length);
            _hash.AppendData(be);
            _hash.AppendData(body);
            _hash.AppendData(signature);
            return;
        }
        Span<byte> s = _block.AsSpan(_used, size);
        BinaryPrimitives.WriteUInt32BigEndian(s, sender);
        BinaryPrimitives.WriteUInt32BigEndian(s[4..], (uint)body.Length);
        body.CopyTo(s[8..]);
        signature.CopyTo(s[(8 + body.Length)..]);
        _used += size;
    }

    public byte[] Finish()
    {
        Flush();
        return _hash.GetHashAndReset();
    }

    public void Dispose()
    {
        _hash.Dispose();
        ArrayPool<byte>.Shared.Return(_block);
    }

    private void Flush()
    {
        _hash.AppendData(_block.AsSpan(0, _used));
        _used = 0;
    }
}
