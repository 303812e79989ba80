using System.Buffers.Binary;
using System.Security.Cryptography;
using SecureFed.Lattice.Bfv;

namespace SecureFed.Lattice.Multiparty;

/// <summary>
/// A client's commitment to its upload, sent to every decryptor directly (not via the aggregator):
/// SHA-256("SecureFed/he/upload-commitment/v1" || BE64(round) || BE32(client) || bodies hash || SHA-256(masks)),
/// the two parts of <see cref="UploadOpening"/>. Binding the round and the client id stops an aggregator from
/// replaying an upload from another round or under another name; splitting bodies from masks lets the aggregator
/// open only the masks, which is all a decryptor needs.
/// </summary>
public static class UploadCommitment
{
    /// <summary>Commitment size in bytes.</summary>
    public const int Size = 32;

    /// <summary>Computes the commitment from an opening.</summary>
    public static byte[] Compute(long round, int client, UploadOpening opening)
    {
        ArgumentNullException.ThrowIfNull(opening);
        return Compute(round, client, opening.BodiesHash.Span, SHA256.HashData(opening.Masks.Span));
    }

    /// <summary>Computes the commitment to a serialized upload (what the client does).</summary>
    /// <exception cref="HeFormatException">The upload is malformed.</exception>
    public static byte[] Compute(long round, int client, ReadOnlySpan<byte> upload, BfvParameters parameters)
    {
        // Hashed in one pass over the upload: the opening's copy of the masks would be garbage here.
        var (bodiesHash, masksHash) = UploadOpening.Hashes(upload, parameters);
        return Compute(round, client, bodiesHash, masksHash);
    }

    private static byte[] Compute(long round, int client, ReadOnlySpan<byte> bodiesHash, ReadOnlySpan<byte> masksHash)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData("SecureFed/he/upload-commitment/v1"u8);
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteInt64BigEndian(header, round);
        BinaryPrimitives.WriteInt32BigEndian(header[8..], client);
        h.AppendData(header);
        h.AppendData(bodiesHash);
        h.AppendData(masksHash);
        return h.GetHashAndReset();
    }
}
