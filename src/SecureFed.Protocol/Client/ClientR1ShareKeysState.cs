using System.Security.Cryptography;
using SecureFed.Primitives.Aead;
using SecureFed.Primitives.Prg;
using SecureFed.Primitives.Secrets;
using SecureFed.Protocol.Concurrency;
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
            senders.Add(b.PeerId);
        }
        ClientEnvelope envelope = MaskInput(bundles, senders);
        _secrets.ReleaseKeys();
        return new ClientTransition(new ClientR2MaskedInputState(Context, _session, _secrets, senders), envelope);
    }

    // Opens one bundle and holds its shares; false when it fails authentication. Thread-safe: reads the receive keys
    // and writes only the sender's slot of the held shares.
    private bool TryHoldBundle(EncryptedShareBundle bundle)
    {
        Span<byte> plaintext = stackalloc byte[ShareBundlePlaintext.Size];
        try
        {
            ReadOnlySpan<byte> key = _secrets.ReceiveKeys![bundle.PeerId];
            byte[] ad = SessionDerivation.ShareBundleAssociatedData(_session.SessionId, bundle.PeerId, ClientId);
            if (!ShareCipher.TryOpen(key, ad, bundle.Ciphertext, plaintext) || !ShareBundlePlaintext.Matches(plaintext, bundle.PeerId, ClientId))
            {
                return false;
            }
            _secrets.HoldShares(bundle.PeerId, ShareBundlePlaintext.SeedShare(plaintext), ShareBundlePlaintext.KeyShare(plaintext));
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    // y = x + PRG(b) + sum over peers of +PRG(s_uv) when u < v and -PRG(s_uv) when u > v (protocol-spec/secagg.md
    // "Masked input"). The masking peers are the senders of the delivered bundles. Per sender, one pass on the client's
    // threads opens its bundle (a microsecond of ChaCha20-Poly1305) and derives its pair seed (an X25519) into the seed
    // set: one parallel loop instead of two, since on a small VM each loop costs a worker's wake-up and its tail (and
    // the caller does not wait for a worker that was not scheduled before the items ran out: CallerFirstLoop). The
    // outcomes are reported as two loops would: the lowest sender whose bundle fails, else the lowest whose agreement
    // fails. Then the set walks each vector once.
    private ClientEnvelope MaskInput(EncryptedShareBundle[] bundles, List<uint> maskingPeers)
    {
        var p = Context.Parameters;
        using var masks = new MaskSeedSet(maskingPeers.Count + 1);
        // The pair seeds stay with the secrets until R4, which reveals those shared with dropped peers.
        SecretTable pairSeeds = _secrets.CreatePairSeeds(maskingPeers);
        var opened = new bool[bundles.Length];
        var agreed = new bool[maskingPeers.Count];
        BoundedParallel.ForCallerFirst(Context.Parallelism, maskingPeers.Count, i =>
        {
            opened[i] = TryHoldBundle(bundles[i]);
            agreed[i] = opened[i] && DerivePairSeed(maskingPeers[i], pairSeeds.Fill(i), masks, i + 1);
        });
        int bad = BoundedParallel.FirstFailure(opened);
        if (bad >= 0)
        {
            throw new ClientAbortException(AbortReason.ShareDecryptionFailed, $"the share bundle from client {bundles[bad].PeerId} failed authentication");
        }
        int failed = BoundedParallel.FirstFailure(agreed);
        if (failed >= 0)
        {
            throw new ClientAbortException(AbortReason.KeyAgreementFailed, $"mask key agreement with client {maskingPeers[failed]} failed");
        }
        ulong[][] input = _secrets.TakeInput();
        try
        {
            masks.Set(0, _secrets.SelfMaskSeed!.Span, subtract: false);
            masks.SetCount(maskingPeers.Count + 1);
            // The body is written in one pass from the masked vectors (no encoded copy of each, then of them all); for
            // 4- and 8-byte elements the seed set writes each masked chunk straight into it, on the client's threads,
            // so the vector is read once and the masked words are never stored back (secagg.md "Masked input"). In
            // the same walk it appends each chunk to the body's SHA-256, which the envelope signs (secagg.md 2.2), as
            // soon as the chunks before it are written, checks the input is below 2^bits and wipes it: each of these
            // was a pass on one core after the walk.
            using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            byte[] body = MaskedInputWire.Write(input, p.Vectors, digest, (j, vector, destination) =>
            {
                int bits = p.Vectors[j].Bits;
                if (MaskSeedSet.CanMaskInto(bits))
                {
                    bool inRange = masks.MaskIntoAndHash((ulong)j, vector, destination, bits, Context.Parallelism, digest, wipeVector: true);
                    _secrets.InputWiped(j);
                    return inRange ? true : throw SecAggClient.OutOfRange(p, j);
                }
                SecAggClient.ValidateRange(p, j, vector);
                masks.ApplyTo((ulong)j, vector, bits, Context.Parallelism);
                MaskedInputWire.EncodeInto(vector, bits, destination);
                return false;
            });
            Span<byte> bodyDigest = stackalloc byte[SHA256.HashSizeInBytes];
            digest.GetHashAndReset(bodyDigest);
            return EnvelopeSigning.Seal(Context.Identity, _session.SessionId, ClientId, ProtocolStage.MaskedInputCollection, body, bodyDigest);
        }
        finally
        {
            _secrets.ReleaseInput();
        }
    }

    // s_uv for peer v into `seed` and slot `slot` of the set, signed as the spec says; false when the agreement fails. Thread-safe.
    private bool DerivePairSeed(uint v, Span<byte> seed, MaskSeedSet masks, int slot)
    {
        if (!_secrets.MaskKey!.TryDeriveSharedKey(_session.Peers[v].MaskPublicKey, _session.SessionId, SessionDerivation.PairwiseMaskInfo(ClientId, v), seed))
        {
            return false;
        }
        masks.Set(slot, seed, subtract: ClientId > v);
        return true;
    }

    private protected override void ReleaseSecrets() => _secrets.Dispose();
}
