using System.Security.Cryptography;
using SecureFed.Lattice.Bfv;

namespace SecureFed.Lattice.Multiparty;

/// <summary>
/// What a decryptor needs to verify and decrypt one client's upload: its masks (the 24-byte header, kind 1, then
/// every block's packed c1) and SHA-256 of its bodies (every block's packed bodies, in order). Together they open
/// the client's <see cref="UploadCommitment"/>; the bodies themselves never leave the aggregator, so a decryptor
/// downloads 1/(B+1) of each upload.
/// </summary>
public sealed class UploadOpening
{
    /// <summary>Creates an opening from its two parts.</summary>
    /// <exception cref="ArgumentException">The bodies hash is not 32 bytes.</exception>
    public UploadOpening(byte[] masks, byte[] bodiesHash)
    {
        ArgumentNullException.ThrowIfNull(masks);
        ArgumentNullException.ThrowIfNull(bodiesHash);
        if (bodiesHash.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException("bodies hash must be 32 bytes", nameof(bodiesHash));
        }
        Masks = masks;
        BodiesHash = bodiesHash;
    }

    /// <summary>Header and c1 rows.</summary>
    public ReadOnlyMemory<byte> Masks { get; }

    /// <summary>SHA-256 over the bodies' bytes of every block, in order.</summary>
    public ReadOnlyMemory<byte> BodiesHash { get; }

    /// <summary>Bytes sent to a decryptor.</summary>
    public long Size => Masks.Length + BodiesHash.Length;

    /// <summary>Splits a serialized public-key upload (kind 1) into its opening.</summary>
    /// <exception cref="HeFormatException">The upload is malformed.</exception>
    public static UploadOpening FromUpload(ReadOnlySpan<byte> upload, BfvParameters parameters)
    {
        var (count, bodies, component) = Layout(upload, parameters);
        var masks = new byte[CiphertextCodec.HeaderSize + (long)count * component];
        upload[..CiphertextCodec.HeaderSize].CopyTo(masks);
        using var bodiesHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        int pos = CiphertextCodec.HeaderSize;
        for (int b = 0; b < count; b++)
        {
            bodiesHash.AppendData(upload.Slice(pos, bodies * component));
            pos += bodies * component;
            upload.Slice(pos, component).CopyTo(masks.AsSpan(CiphertextCodec.HeaderSize + b * component));
            pos += component;
        }
        return new UploadOpening(masks, bodiesHash.GetHashAndReset());
    }

    // The opening's bodies hash and SHA-256 of its masks, streamed over the upload without copying the masks (a
    // client only needs the hashes for its commitment).
    internal static (byte[] BodiesHash, byte[] MasksHash) Hashes(ReadOnlySpan<byte> upload, BfvParameters parameters)
    {
        var (count, bodies, component) = Layout(upload, parameters);
        using var bodiesHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var masksHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        masksHash.AppendData(upload[..CiphertextCodec.HeaderSize]);
        int pos = CiphertextCodec.HeaderSize;
        for (int b = 0; b < count; b++)
        {
            bodiesHash.AppendData(upload.Slice(pos, bodies * component));
            pos += bodies * component;
            masksHash.AppendData(upload.Slice(pos, component));
            pos += component;
        }
        return (bodiesHash.GetHashAndReset(), masksHash.GetHashAndReset());
    }

    private static (int Count, int Bodies, int Component) Layout(ReadOnlySpan<byte> upload, BfvParameters parameters)
    {
        var (level, seeded, bodies, count) = CiphertextCodec.ReadHeader(upload, parameters);
        if (seeded || CiphertextCodec.SerializedSize(parameters, level, count, seeded, bodies) != upload.Length)
        {
            throw new HeFormatException("an upload must be a public-key ciphertext vector of exact length");
        }
        return (count, bodies, (int)CiphertextCodec.ComponentBytes(parameters, level));
    }
}
