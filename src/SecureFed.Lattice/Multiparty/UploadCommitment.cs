using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SecureFed.Lattice.Multiparty;

/// <summary>
/// A client's commitment to its upload, sent to every decryptor directly (not via the aggregator):
/// SHA-256("SecureFed/he/upload-commitment/v1" || BE64(round) || BE32(client) || upload bytes). Binding the round
/// and the client id stops an aggregator from replaying an upload from another round or under another name.
/// </summary>
public static class UploadCommitment
{
    /// <summary>Commitment size in bytes.</summary>
    public const int Size = 32;

    /// <summary>Computes the commitment.</summary>
    public static byte[] Compute(long round, int client, ReadOnlySpan<byte> upload)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData("SecureFed/he/upload-commitment/v1"u8);
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteInt64BigEndian(header, round);
        BinaryPrimitives.WriteInt32BigEndian(header[8..], client);
        h.AppendData(header);
        h.AppendData(upload);
        return h.GetHashAndReset();
    }
}
