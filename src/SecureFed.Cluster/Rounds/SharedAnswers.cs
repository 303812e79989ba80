using System.Security.Cryptography;

namespace SecureFed.Cluster.Rounds;

/// <summary>
/// The round grain's side of the front ends' cache of large shared poll answers (the masking final message; the key directory
/// until each device got its own; an HE close's common delivery): an array answered to many clients travels inline the first two times and
/// by its SHA-256 after that, and each front end fetches the bytes once (<see cref="IRoundGrain.Shared"/>) instead of
/// receiving a copy per poll (1,000 clients: about 1,000 x 150 KB for the key directory, two thirds of it between
/// silos). Arrays are told apart by reference, so an answer built afresh per call is never taken for a shared one, and
/// an answer sent once (a client's own message) is never hashed. Used from the grain's turns only.
/// </summary>
internal sealed class SharedAnswers
{
    /// <summary>Smaller answers always travel inline: a reference would cost a round trip more than it saves.</summary>
    internal const int MinBytes = 16 << 10;

    // This close's answers and the previous close's (a digest handed out just before a close stays fetchable).
    private Generation _current = new();
    private Generation _previous = new();

    /// <summary>How to send <paramref name="bytes"/>: inline the first time; inline with its digest the second (the
    /// front end keeps it); by digest alone after that. Small answers always inline, without a digest.</summary>
    public (byte[]? Bytes, byte[]? Digest) Answer(byte[]? bytes)
    {
        if (bytes is null || bytes.Length < MinBytes)
        {
            return (bytes, null);
        }
        if (_current.Digests.TryGetValue(bytes, out byte[]? digest))
        {
            return (null, digest);
        }
        if (_current.SeenOnce.Add(bytes))
        {
            return (bytes, null);
        }
        digest = SHA256.HashData(bytes);
        _current.Digests[bytes] = digest;
        _current.Bytes[Convert.ToHexString(digest)] = bytes;
        return (bytes, digest);
    }

    /// <summary>The bytes answered under <paramref name="digest"/> in this close or the previous one, or null (the
    /// caller polls again).</summary>
    public byte[]? Find(byte[] digest)
    {
        string key = Convert.ToHexString(digest);
        return _current.Bytes.GetValueOrDefault(key) ?? _previous.Bytes.GetValueOrDefault(key);
    }

    /// <summary>A stage closed (or the round ended): its answers become the previous generation, the one before is dropped.</summary>
    public void Closed()
    {
        _previous = _current;
        _current = new Generation();
    }

    private sealed class Generation
    {
        public HashSet<byte[]> SeenOnce { get; } = new(ReferenceEqualityComparer.Instance);

        public Dictionary<byte[], byte[]> Digests { get; } = new(ReferenceEqualityComparer.Instance);

        public Dictionary<string, byte[]> Bytes { get; } = new(StringComparer.Ordinal);
    }
}
