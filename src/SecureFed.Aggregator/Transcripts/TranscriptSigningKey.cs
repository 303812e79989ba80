using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SecureFed.Aggregator.Hosting;
using SecureFed.Primitives.Signatures;

namespace SecureFed.Aggregator.Transcripts;

/// <summary>
/// The aggregator's long-lived Ed25519 key that signs round transcripts: its 32-byte seed kept as hex in a file
/// readable only by the service's user (<see cref="SecretKeyFile"/>, like the admin key). Auditors pin its public key.
/// </summary>
internal sealed class TranscriptSigningKey : IDisposable
{
    public const string DefaultFileName = "securefed-aggregator.key";

    public TranscriptSigningKey(IOptions<AggregatorOptions> options)
    {
        AggregatorOptions o = options.Value;
        FilePath = SecretKeyFile.Ensure(o.TranscriptKeyFile, o.DatabasePath, DefaultFileName);
        byte[] text = File.ReadAllBytes(FilePath);
        byte[]? seed = null;
        try
        {
            string hex = Encoding.ASCII.GetString(text).Trim();
            if (hex.Length != 2 * IdentityKeyPair.SeedSize || !hex.All(char.IsAsciiHexDigit))
            {
                throw new InvalidOperationException($"the transcript key file {FilePath} must hold exactly {2 * IdentityKeyPair.SeedSize} hex digits");
            }
            seed = Convert.FromHexString(hex);
            Key = IdentityKeyPair.FromSeed(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(text);
            if (seed is not null)
            {
                CryptographicOperations.ZeroMemory(seed);
            }
        }
    }

    public string FilePath { get; }

    public IdentityKeyPair Key { get; }

    /// <summary>The public key as 64 lowercase hex digits (what `audit verify --aggregator-key` takes).</summary>
    public string PublicKeyHex => Convert.ToHexStringLower(Key.PublicKey.Bytes);

    public void Dispose() => Key.Dispose();

    public override string ToString() => $"TranscriptSigningKey(public {PublicKeyHex})";
}
