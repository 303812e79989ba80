using System.Security.Cryptography;
using SecureFed.Primitives.Aead;
using SecureFed.Primitives.Prg;
using SecureFed.Primitives.Secrets;
using SecureFed.Primitives.Vectors;
using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Client;

/// <summary>
/// R1 ShareKeys: the client sent its encrypted shares and waits for the <see cref="ShareDelivery"/> of its
/// neighbours' bundles. On it, the client decrypts and keeps those shares, masks its input with its self mask and one
/// pairwise mask per delivering neighbour, and sends the masked input (R2 MaskedInputCollection).
/// </summary>
public sealed class ClientR1ShareKeysState : ClientState
{
    private readonly ClientSession _session;
    private readonly ClientSecrets _secrets;

    internal ClientR1ShareKeysState(ClientContext context, ClientSession session, ClientSecrets secrets)
        : base(context)
    {
        _session = session;
        _secrets = secrets;
    }

    /// <inheritdoc />
    public override string Name => "R1 ShareKeys";

    private protected override ClientTransition HandleCore(ServerMessage message)
    {
        if (message is not ShareDelivery delivery)
        {
            throw Violation($"expected a ShareDelivery, got {message.GetType().Name}");
        }
        EncryptedShareBundle[] bundles = delivery.Shares ?? throw Violation("share delivery without shares");
        if (bundles.Length + 1 < Context.Parameters.Threshold)
        {
            throw new ClientAbortException(AbortReason.TooFewClients, $"shares from {bundles.Length} neighbours, fewer than t - 1 = {Context.Parameters.Threshold - 1}");
        }
        var senders = new List<uint>(bundles.Length);
        uint previous = 0;
        foreach (EncryptedShareBundle? b in bundles)
        {
            if (b is null || b.PeerId <= previous || !_session.IsNeighbour(b.PeerId) || b.Ciphertext is null)
            {
                throw Violation("share bundles must come from distinct neighbours in ascending order");
            }
            previous = b.PeerId;
            OpenBundle(b);
            senders.Add(b.PeerId);
        }
        ClientEnvelope envelope = MaskInput(senders);
        _secrets.ReleaseKeys();
        return new ClientTransition(new ClientR2MaskedInputState(Context, _session, _secrets, senders), envelope);
    }

    private void OpenBundle(EncryptedShareBundle bundle)
    {
        Span<byte> plaintext = stackalloc byte[ShareBundlePlaintext.Size];
        try
        {
            ReadOnlySpan<byte> key = _secrets.ReceiveKeys[bundle.PeerId].Span;
            byte[] ad = SessionDerivation.ShareBundleAssociatedData(_session.SessionId, bundle.PeerId, ClientId);
            if (!ShareCipher.TryOpen(key, ad, bundle.Ciphertext, plaintext) || !ShareBundlePlaintext.Matches(plaintext, bundle.PeerId, ClientId))
            {
                throw new ClientAbortException(AbortReason.ShareDecryptionFailed, $"the share bundle from client {bundle.PeerId} failed authentication");
            }
            _secrets.HoldShares(bundle.PeerId, ShareBundlePlaintext.SeedShare(plaintext), ShareBundlePlaintext.KeyShare(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    // y = x + PRG(b) + sum_{v < u... } as in protocol-spec/secagg.md "Masked input": +PRG(s_uv) when u < v, -PRG(s_uv) when u > v.
    private ClientEnvelope MaskInput(List<uint> maskingPeers)
    {
        var p = Context.Parameters;
        ulong[][] input = _secrets.TakeInput();
        var seeds = new SecretBuffer[maskingPeers.Count];
        try
        {
            for (int i = 0; i < maskingPeers.Count; i++)
            {
                uint v = maskingPeers[i];
                seeds[i] = new SecretBuffer(SessionDerivation.HashSize);
                if (!_secrets.MaskKey!.TryDeriveSharedKey(_session.Peers[v].MaskPublicKey, _session.SessionId,
                        SessionDerivation.PairwiseMaskInfo(ClientId, v), seeds[i].Span))
                {
                    throw new ClientAbortException(AbortReason.KeyAgreementFailed, $"mask key agreement with client {v} failed");
                }
            }
            var encoded = new byte[input.Length][];
            for (int j = 0; j < input.Length; j++)
            {
                int bits = p.Vectors[j].Bits;
                Span<ulong> y = input[j];
                MaskGenerator.Apply(_secrets.SelfMaskSeed!.Span, (ulong)j, y, bits, subtract: false);
                for (int i = 0; i < maskingPeers.Count; i++)
                {
                    MaskGenerator.Apply(seeds[i].Span, (ulong)j, y, bits, subtract: ClientId > maskingPeers[i]);
                }
                encoded[j] = ModularArithmetic.Encode(y, bits);
            }
            byte[] body = MessageCodec.Encode(new MaskedInput { Vectors = encoded });
            return EnvelopeSigning.Seal(Context.Identity, _session.SessionId, ClientId, ProtocolStage.MaskedInputCollection, body);
        }
        finally
        {
            foreach (SecretBuffer? s in seeds)
            {
                s?.Dispose();
            }
            _secrets.ReleaseInput();
        }
    }

    private protected override void ReleaseSecrets() => _secrets.Dispose();
}
