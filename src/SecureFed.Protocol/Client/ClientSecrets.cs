using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SecureFed.Primitives.KeyAgreement;
using SecureFed.Primitives.Secrets;
using SecureFed.Primitives.Shamir;

namespace SecureFed.Protocol.Client;

// Every secret a client holds during a round, released as soon as the protocol no longer needs it:
// ephemeral keys and self-mask seed after R2, the unmasked input once masked, the shares after R4.
internal sealed class ClientSecrets(AgreementKeyPair maskKey, AgreementKeyPair encryptionKey, ulong[][] input) : IDisposable
{
    private readonly Dictionary<uint, SecretBuffer> _heldShares = [];

    public AgreementKeyPair? MaskKey { get; private set; } = maskKey;

    public AgreementKeyPair? EncryptionKey { get; private set; } = encryptionKey;

    public ulong[][]? Input { get; private set; } = input;

    public SecretBuffer? SelfMaskSeed { get; set; }

    // Shares held for each owner (including this client): seed share (40 bytes) || key share (40 bytes).
    public IReadOnlyDictionary<uint, SecretBuffer> HeldShares => _heldShares;

    public void HoldShares(uint owner, ReadOnlySpan<byte> seedShare, ReadOnlySpan<byte> keyShare)
    {
        var buffer = new SecretBuffer(2 * ShamirScheme.ShareSize);
        seedShare.CopyTo(buffer.Span);
        keyShare.CopyTo(buffer.Span[ShamirScheme.ShareSize..]);
        if (_heldShares.Remove(owner, out SecretBuffer? old))
        {
            old.Dispose();
        }
        _heldShares.Add(owner, buffer);
    }

    public void ReleaseInput()
    {
        if (Input is not null)
        {
            foreach (ulong[] v in Input)
            {
                CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(v.AsSpan()));
            }
            Input = null;
        }
    }

    public void ReleaseKeys()
    {
        MaskKey?.Dispose();
        EncryptionKey?.Dispose();
        SelfMaskSeed?.Dispose();
        MaskKey = null;
        EncryptionKey = null;
        SelfMaskSeed = null;
    }

    public void Dispose()
    {
        ReleaseInput();
        ReleaseKeys();
        foreach (SecretBuffer b in _heldShares.Values)
        {
            b.Dispose();
        }
        _heldShares.Clear();
    }
}
