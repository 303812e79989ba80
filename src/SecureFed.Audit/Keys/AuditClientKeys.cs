using System.Security.Cryptography;

namespace SecureFed.Audit.Keys;

/// <summary>
/// One simulated client's secrets and inputs from an auditor's key file. Holds secrets: wiped on dispose and never
/// shown by <see cref="ToString"/>.
/// </summary>
public sealed class AuditClientKeys : IDisposable
{
    /// <summary>Creates the holder (takes ownership of the arrays).</summary>
    public AuditClientKeys(uint clientId, byte[] identitySeed, byte[] maskPrivateKey, byte[] encryptionPrivateKey, byte[] selfMaskSeed, byte[][] inputs)
    {
        ClientId = clientId;
        IdentitySeed = identitySeed;
        MaskPrivateKey = maskPrivateKey;
        EncryptionPrivateKey = encryptionPrivateKey;
        SelfMaskSeed = selfMaskSeed;
        Inputs = inputs;
    }

    /// <summary>The client id.</summary>
    public uint ClientId { get; }

    /// <summary>Ed25519 identity seed (32 bytes).</summary>
    public byte[] IdentitySeed { get; }

    /// <summary>X25519 mask private key s_u^SK (32 bytes).</summary>
    public byte[] MaskPrivateKey { get; }

    /// <summary>X25519 encryption private key c_u^SK (32 bytes).</summary>
    public byte[] EncryptionPrivateKey { get; }

    /// <summary>Self-mask seed b_u (32 bytes).</summary>
    public byte[] SelfMaskSeed { get; }

    /// <summary>The client's plain (quantized) inputs x_u, one per vector, in the masked-input wire encoding.</summary>
    public byte[][] Inputs { get; }

    /// <summary>Wipes every secret and input.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(IdentitySeed);
        CryptographicOperations.ZeroMemory(MaskPrivateKey);
        CryptographicOperations.ZeroMemory(EncryptionPrivateKey);
        CryptographicOperations.ZeroMemory(SelfMaskSeed);
        foreach (byte[] input in Inputs)
        {
            CryptographicOperations.ZeroMemory(input);
        }
    }

    /// <summary>Never shows the secrets.</summary>
    public override string ToString() => $"AuditClientKeys(client {ClientId})";
}
