using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SecureFed.HeProtocol.Configuration;
using SecureFed.Lattice.Multiparty;

namespace SecureFed.HeProtocol.Wire;

/// <summary>A Shamir share's plaintext on the wire: its B upload-level polynomials (coefficient form), bit-packed.</summary>
internal static class ShareCodec
{
    public static int PlaintextBytes(HeRoundParameters p) =>
        p.Plan.Options.Bodies * PolynomialPacking.PolynomialBytes(p.Plan.Parameters, p.Plan.UploadLevel);

    public static byte[] Pack(HeRoundParameters p, ShamirShare share)
    {
        // Slices of the share itself: no copy of the secret to wipe.
        ReadOnlyMemory<ulong> values = share.SecretValues;
        int size = p.Plan.UploadLevel * p.Plan.Parameters.Degree;
        return PolynomialPacking.Pack(p.Plan.Parameters, p.Plan.UploadLevel, [.. Enumerable.Range(0, p.Plan.Options.Bodies).Select(k => values.Slice(k * size, size))]);
    }

    /// <summary>Rebuilds the share dealer to recipient; throws MalformedMessageException on a bad plaintext.</summary>
    public static ShamirShare Unpack(HeRoundParameters p, int dealer, int recipient, ReadOnlySpan<byte> plaintext)
    {
        int bodies = p.Plan.Options.Bodies;
        var polys = PolynomialPacking.Unpack(p.Plan.Parameters, p.Plan.UploadLevel, bodies, plaintext, "share");
        int size = p.Plan.UploadLevel * p.Plan.Parameters.Degree;
        var values = new ulong[bodies * size];
        for (int k = 0; k < bodies; k++)
        {
            polys[k].CopyTo(values, k * size);
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(polys[k].AsSpan()));
        }
        return new ShamirShare(dealer, recipient, p.Threshold, values);
    }

    /// <summary>The share of a decryptor excluded from the key: the sharing of zero.</summary>
    public static ShamirShare Zero(HeRoundParameters p, int dealer, int recipient) =>
        new ShamirShare(dealer, recipient, p.Threshold, new ulong[p.Plan.Options.Bodies * p.Plan.UploadLevel * p.Plan.Parameters.Degree]);
}
