using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SecureFed.Primitives.KeyAgreement;
using SecureFed.Primitives.Secrets;
using SecureFed.Primitives.Shamir;

namespace SecureFed.Protocol.Client;

// Every secret a client holds during a round, released as soon as the protocol no longer needs it:
// ephemeral keys and self-mask seed after R2, the unmasked input once masked, the shares after R4.
internal sealed class ClientSecrets(AgreementKeyPair maskKey, AgreementKeyPair encryptionKey, Func<ulong[][]> inputSource) : IDisposable
{
    private Func<ulong[][]>? _inputSource = inputSource;
    private ulong[][]? _input;

    private readonly Dictionary<uint, SecretBuffer> _heldShares = [];
    private readonly Dictionary<uint, SecretBuffer> _receiveKeys = [];

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

    // k_{v->u} for each neighbour v, derived in R1 from the same X25519 as k_{u->v}, used once in R2.
    public IReadOnlyDictionary<uint, SecretBuffer> ReceiveKeys => _receiveKeys;

    public void AddReceiveKey(uint peer, SecretBuffer key) => _receiveKeys.Add(peer, key);

    // The key each neighbour and this client MAC their views of the survivor set with (R3), derived in R1, wiped after R4.
    public IReadOnlyDictionary<uint, SecretBuffer> ConsistencyKeys => _consistencyKeys;

    private readonly Dictionary<uint, SecretBuffer> _consistencyKeys = [];

    public void AddConsistencyKey(uint peer, SecretBuffer key) => _consistencyKeys.Add(peer, key);

    public void ReleaseInput()
    {
        if (_input is not null)
        {
            foreach (ulong[] v in _input)
            {
                CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(v.AsSpan()));
            }
            _input = null;
        }
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
        foreach (SecretBuffer k in _receiveKeys.Values)
        {
            k.Dispose();
        }
        _receiveKeys.Clear();
        MaskKey = null;
        EncryptionKey = null;
        SelfMaskSeed = null;
    }

    // s_uv for each peer masked with in R2, kept until R4 reveals those of dropped peers (secagg.md section 8).
    public IReadOnlyDictionary<uint, SecretBuffer> PairSeeds => _pairSeeds;

    private readonly Dictionary<uint, SecretBuffer> _pairSeeds = [];

    public void KeepPairSeeds(IReadOnlyList<uint> peers, SecretBuffer[] seeds)
    {
        for (int i = 0; i < peers.Count; i++)
        {
            _pairSeeds.Add(peers[i], seeds[i]);
        }
    }

    public void Dispose()
    {
        ReleaseInput();
        ReleaseKeys();
        foreach (SecretBuffer b in _pairSeeds.Values)
        {
            b.Dispose();
        }
        _pairSeeds.Clear();
        foreach (SecretBuffer b in _heldShares.Values)
        {
            b.Dispose();
        }
        _heldShares.Clear();
        foreach (SecretBuffer b in _consistencyKeys.Values)
        {
            b.Dispose();
        }
        _consistencyKeys.Clear();
    }
}
