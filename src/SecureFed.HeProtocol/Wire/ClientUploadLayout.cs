using System.Buffers.Binary;
using SecureFed.Lattice.Multiparty;

namespace SecureFed.HeProtocol.Wire;

/// <summary>
/// The MessagePack encoding of a <c>ClientUpload</c> (array of 4: version 1, upload, commitment, signature), byte for
/// byte what the generated formatter writes, laid out so the upload can be encrypted in place and the encoding needs
/// no copy of it. Commitment and signature have fixed sizes, so the layout depends on the upload size only.
/// </summary>
internal static class ClientUploadLayout
{
    private const int SignatureSize = 64;

    /// <summary>Offset of the upload's bytes.</summary>
    public static int UploadOffset(long uploadSize) => 2 + BinHeaderSize(uploadSize);

    /// <summary>Bytes of the whole encoding.</summary>
    public static int BodySize(long uploadSize) =>
        checked(UploadOffset(uploadSize) + (int)uploadSize + BinHeaderSize(UploadCommitment.Size) + UploadCommitment.Size + BinHeaderSize(SignatureSize) + SignatureSize);

    /// <summary>Writes everything around the upload, which is already at <see cref="UploadOffset"/>.</summary>
    public static void Complete(Span<byte> body, long uploadSize, ReadOnlySpan<byte> commitment, ReadOnlySpan<byte> signature)
    {
        if (commitment.Length != UploadCommitment.Size || signature.Length != SignatureSize || body.Length != BodySize(uploadSize))
        {
            throw new ArgumentException("the commitment, signature or body has the wrong size");
        }
        body[0] = 0x94; // fixarray of 4
        body[1] = 0x01; // version 1
        int pos = 2 + WriteBinHeader(body[2..], uploadSize) + (int)uploadSize;
        pos += WriteBinHeader(body[pos..], commitment.Length);
        commitment.CopyTo(body[pos..]);
        pos += commitment.Length;
        pos += WriteBinHeader(body[pos..], signature.Length);
        signature.CopyTo(body[pos..]);
    }

    // bin 8, bin 16 or bin 32: the shortest that holds the length, as MessagePack writes it.
    private static int BinHeaderSize(long length) => length <= byte.MaxValue ? 2 : length <= ushort.MaxValue ? 3 : 5;

    private static int WriteBinHeader(Span<byte> destination, long length)
    {
        if (length <= byte.MaxValue)
        {
            destination[0] = 0xc4;
            destination[1] = (byte)length;
            return 2;
        }
        if (length <= ushort.MaxValue)
        {
            destination[0] = 0xc5;
            BinaryPrimitives.WriteUInt16BigEndian(destination[1..], (ushort)length);
            return 3;
        }
        destination[0] = 0xc6;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], checked((uint)length));
        return 5;
    }
}
