using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SecureFed.Primitives.KeyAgreement;
using SecureFed.Primitives.Secrets;
using SecureFed.Primitives.Shamir;
using SecureFed.Primitives.Aead;
using SecureFed.Protocol.Derivation;

namespace SecureFed.Protocol.Client;

// Every secret a client holds during a round, released as soon as the protocol no longer needs it:
// ephemeral keys and self-mask seed after R2, the unmasked input once masked, the shares, pair seeds and consistency
// keys after R4.
internal sealed class ClientSecrets(AgreementKeyPair maskKey, AgreementKeyPair encryptionKey, Func<ulong[][]> inputSource) : IDisposable
{
    private Func<ulong[][]>? _inputSource = inputSource;
    private ulong[][]? _input;
    private bool[]? _wiped;

    public AgreementKeyPair? MaskKey { get; private set; } = maskKey;

    public AgreementKeyPair? EncryptionKey { get; private set; } = encryptionKey;

    // Fetched from the source on first use (R2), wiped by ReleaseInput.
    public ulong[][] TakeInput()
    {
        if (_input is null)
        {
            Func<ulong[][]> source = _inputSource ?? throw new InvalidOperationException("the input was already used and wiped");
            _inputSource = null;
            _input = source();
        }
        return _input;
    }

    public SecretBuffer? SelfMaskSeed { get; set; }

    // Shares held for each owner among the holders (this client included): seed share (40 bytes) || key share (40 bytes).
    public SecretTable? HeldShares { get; private set; }

    // k_{v->u} for each neighbour v, derived in R1 from the same X25519 as k_{u->v}, used once in R2.
    public SecretTable? ReceiveKeys { get; private set; }

    // kc_uv for each neighbour v, derived in R1 with the share keys, used in R3 (tags) and R4 (checking them).
    public SecretTable? ConsistencyKeys { get; private set; }

    // s_uv for each peer masked with in R2, kept until R4 reveals those of dropped peers (secagg.md section 8).
    public SecretTable? PairSeeds { get; private set; }

    // R1: room for every holder's shares and every neighbour's keys.
    public void CreateShareTables(IReadOnlyList<uint> holders, IReadOnlyList<uint> neighbours)
    {
        HeldShares = new SecretTable(holders, 2 * ShamirScheme.ShareSize);
        ReceiveKeys = new SecretTable(neighbours, ShareCipher.KeySize);
        ConsistencyKeys = new SecretTable(neighbours, SessionDerivation.HashSize);
    }

    // R2: room for the pair seed of every peer masked with.
    public SecretTable CreatePairSeeds(IReadOnlyList<uint> peers) => PairSeeds = new SecretTable(peers, SessionDerivation.HashSize);

    public void HoldShares(uint owner, ReadOnlySpan<byte> seedShare, ReadOnlySpan<byte> keyShare)
    {
        Span<byte> slot = HeldShares!.Fill(owner);
        seedShare.CopyTo(slot);
        keyShare.CopyTo(slot[ShamirScheme.ShareSize..]);
    }

    // Vector j of the input was zeroed as it was masked (the seed set wipes each chunk once read): not zeroed again.
    public void InputWiped(int vector)
    {
        _wiped ??= new bool[_input!.Length];
        _wiped[vector] = true;
    }

    public void ReleaseInput()
    {
        if (_input is not null)
        {
            for (int j = 0; j < _input.Length; j++)
            {
                if (_wiped is null || !_wiped[j])
                {
                    CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_input[j].AsSpan()));
                }
            }
            _input = null;
        }
        _wiped = null;
        _inputSource = null;
    }

    public void ReleaseEncryptionKey()
    {
        EncryptionKey?.Dispose();
        EncryptionKey = null;
    }

    public void ReleaseKeys()
    {
        MaskKey?.Dispose();
        EncryptionKey?.Dispose();
        SelfMaskSeed?.Dispose();
        ReceiveKeys?.Dispose();
        MaskKey = null;
        EncryptionKey = null;
        SelfMaskSeed = null;
        ReceiveKeys = null;
    }

    public void Dispose()
    {
        ReleaseInput();
        ReleaseKeys();
        PairSeeds?.Dispose();
        HeldShares?.Dispose();
        ConsistencyKeys?.Dispose();
        PairSeeds = null;
        HeldShares = null;
        ConsistencyKeys = null;
    }
}
