using System.Security.Cryptography;

namespace SecureFed.Transcripts;

/// <summary>Constants and hashes of the transcript format (protocol-spec/transcript.md).</summary>
public static class TranscriptFormat
{
    /// <summary>Format version carried by every record body and the header.</summary>
    public const int Version = 1;

    /// <summary>Ed25519 signature size (RFC 8032).</summary>
    public const int SignatureSize = 64;

    /// <summary>SHA-256 output size.</summary>
    public const int HashSize = 32;

    /// <summary>Largest record body accepted (256 MiB, the clients' largest server message plus framing).</summary>
    public const int MaxBodyBytes = 256 << 20;

    /// <summary>The 8 bytes every transcript file starts with.</summary>
    public static ReadOnlySpan<byte> Magic => "SFTRNS01"u8;

    /// <summary>Label of a record's hash.</summary>
    public static ReadOnlySpan<byte> RecordLabel => "SecureFed/transcript/v1/record"u8;

    /// <summary>Label of the aggregator's signing input.</summary>
    public static ReadOnlySpan<byte> SignatureLabel => "SecureFed/transcript/v1/aggregator-signature"u8;

    /// <summary>SHA-256(RecordLabel || body): the value the next record carries as its previous hash.</summary>
    public static byte[] RecordHash(ReadOnlySpan<byte> body)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData(RecordLabel);
        h.AppendData(body);
        return h.GetHashAndReset();
    }

    /// <summary>SignatureLabel || record hash: what the aggregator signs with Ed25519.</summary>
    public static byte[] SigningInput(ReadOnlySpan<byte> recordHash)
    {
        var input = new byte[SignatureLabel.Length + recordHash.Length];
        SignatureLabel.CopyTo(input);
        recordHash.CopyTo(input.AsSpan(SignatureLabel.Length));
        return input;
    }
}
