using System.Security.Cryptography;
using SecureFed.Primitives.Aead;
using SecureFed.Primitives.Secrets;
using SecureFed.Primitives.Shamir;
using SecureFed.Protocol.Concurrency;
using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Graph;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Client;

/// <summary>
/// R0 AdvertiseKeys: the client sent its signed keys and waits for the <see cref="KeyDirectory"/>. On it, the client
/// derives the session id from the directory's root, checks its neighbours' entries against that root and verifies them, Shamir-shares its self-mask seed and mask key among its neighbours
/// and sends the encrypted bundles (R1 ShareKeys).
/// </summary>
public sealed class ClientR0AdvertiseKeysState : ClientState
{
    private readonly ClientSecrets _secrets;
    private readonly ClientEnvelope _ownAdvertisement;

    internal ClientR0AdvertiseKeysState(ClientContext context, ClientSecrets secrets, ClientEnvelope ownAdvertisement)
        : base(context)
    {
        _secrets = secrets;
        _ownAdvertisement = ownAdvertisement;
    }

    /// <inheritdoc />
    public override string Name => "R0 AdvertiseKeys";

    private protected override ServerMessage Decode(ReadOnlyMemory<byte> bytes, int maxBytes) =>
        DecodedKeyDirectory.TryRead(bytes, maxBytes) ?? base.Decode(bytes, maxBytes);

    private protected override ClientTransition HandleCore(ServerMessage message)
    {
        switch (message)
        {
            case DecodedKeyDirectory decoded:
                using (decoded)
                {
                    return HandleDirectory(decoded.Advertised.Span, decoded.Root.Span, decoded.Entries, decoded.Proof.Span);
                }
            case KeyDirectory directory:
                ClientEnvelope[] entries = directory.Entries ?? throw Violation("key directory without entries");
                return HandleDirectory(directory.Advertised ?? throw Violation("key directory without the advertised set"),
                    directory.Root ?? throw Violation("key directory without a root"), [.. entries.Select(DirectoryEntry.From)],
                    directory.Proof ?? throw Violation("key directory without a proof"));
            default:
                throw Violation($"expected a KeyDirectory, got {message.GetType().Name}");
        }
    }

    // The directory names U1 (a bitmap) and the root of the tree over every advertisement, and carries the entries of
    // this client's neighbours and its own with their proof: O(roster / 8 + k log(m / k)) bytes, O(k) kept. The
    // session id comes from the root, the graph from the session id and U1 (as every party computes them); then the
    // entries must be exactly this client's holders', each proven against the root, so they are the advertisements
    // the session id binds (secagg.md section 3).
    private ClientTransition HandleDirectory(ReadOnlySpan<byte> advertisedBitmap, ReadOnlySpan<byte> root, ReadOnlySpan<DirectoryEntry> entries, ReadOnlySpan<byte> proof)
    {
        var p = Context.Parameters;
        uint[] advertised = RosterBitmap.TryDecode(p, advertisedBitmap) ?? throw Violation("the advertised set is not a bitmap over the roster");
        if (advertised.Length < p.Threshold)
        {
            throw new ClientAbortException(AbortReason.TooFewClients, $"{advertised.Length} clients advertised keys, fewer than t = {p.Threshold}");
        }
        if (Array.BinarySearch(advertised, ClientId) < 0)
        {
            throw new ClientAbortException(AbortReason.InconsistentKeys, "the key directory does not list this client as having advertised keys");
        }
        if (root.Length != DirectoryTree.HashSize)
        {
            throw Violation($"a {root.Length}-byte directory root");
        }
        byte[] sessionId = SessionDerivation.SessionId(p.ConfigurationHash.Span, advertised.Length, root);
        uint[] graphNeighbours = NeighbourGraphs.NeighboursOf(p, sessionId, advertised, ClientId);
        uint[] holderIds = [.. graphNeighbours.Append(ClientId).Order()];
        if (entries.Length != holderIds.Length)
        {
            throw Violation($"the key directory carries {entries.Length} entries for this client's {holderIds.Length} share holders");
        }
        int own = -1;
        var indices = new int[entries.Length];
        var leafHashes = new byte[entries.Length * DirectoryTree.HashSize];
        for (int i = 0; i < entries.Length; i++)
        {
            DirectoryEntry e = entries[i];
            if (!e.Present || e.SenderId != holderIds[i] || e.Stage != ProtocolStage.AdvertiseKeys)
            {
                throw Violation("key directory entries must be the R0 envelopes of this client's neighbours and its own, in strictly ascending sender order");
            }
            own = e.SenderId == ClientId ? i : own;
            indices[i] = Array.BinarySearch(advertised, e.SenderId);
            DirectoryTree.LeafHash(e.SenderId, e.Body.Span, e.Signature.Span, leafHashes.AsSpan(i * DirectoryTree.HashSize, DirectoryTree.HashSize));
        }
        if (entries[own].Version != _ownAdvertisement.Version || !entries[own].Body.Span.SequenceEqual(_ownAdvertisement.Body) ||
            !entries[own].Signature.Span.SequenceEqual(_ownAdvertisement.Signature))
        {
            throw new ClientAbortException(AbortReason.InconsistentKeys, "the key directory does not carry this client's own keys unchanged");
        }
        Span<byte> proven = stackalloc byte[DirectoryTree.HashSize];
        if (!DirectoryTree.TryComputeRoot(advertised.Length, indices, leafHashes, proof, proven) || !proven.SequenceEqual(root))
        {
            throw new ClientAbortException(AbortReason.InconsistentKeys, "the key directory's entries are not the advertisements its root commits to");
        }

        // The keys and signatures this client relies on are those of its neighbours (all clients for the complete
        // graph, k of them for SecAgg+). Its own entry was compared byte for byte with what it sent, so it is not verified again.
        var toVerify = new ClientEnvelope[graphNeighbours.Length];
        for (int i = 0; i < toVerify.Length; i++)
        {
            toVerify[i] = entries[Array.BinarySearch(holderIds, graphNeighbours[i])].ToEnvelope();
        }
        var valid = new bool[toVerify.Length];
        BoundedParallel.For(Context.Parallelism, toVerify.Length, i => valid[i] = EnvelopeSigning.Verify(p, p.ConfigurationHash.Span, toVerify[i]));
        int bad = BoundedParallel.FirstFailure(valid);
        if (bad >= 0)
        {
            throw new ClientAbortException(AbortReason.InvalidSignature, $"bad signature on the keys of client {toVerify[bad].SenderId}");
        }
        var peers = new Dictionary<uint, PeerKeys>();
        var seenKeys = new HashSet<PublicKeyBytes>();
        var unusable = new HashSet<uint>();
        // In ascending sender order, this client's own entry among them, as the repeated-key check has always run.
        foreach (ClientEnvelope e in toVerify.Append(entries[own].ToEnvelope()).OrderBy(e => e.SenderId))
        {
            PeerKeys keys = PeerKeys.TryParse(e.Body) ?? throw new ClientAbortException(AbortReason.InconsistentKeys, $"client {e.SenderId} advertised malformed keys");
            if (!seenKeys.Add(new PublicKeyBytes(keys.MaskPublicKey)) || !seenKeys.Add(new PublicKeyBytes(keys.EncryptionPublicKey)))
            {
                throw new ClientAbortException(AbortReason.InconsistentKeys, $"client {e.SenderId} advertised a public key another client also advertised");
            }
            if (keys.HasSmallOrderKey)
            {
                // Every agreement with this peer would fail; it is treated as dropped at R0 (secagg.md section 4), so one
                // bad advertisement cannot abort the round while t holders remain.
                unusable.Add(e.SenderId);
                continue;
            }
            peers.Add(e.SenderId, keys);
        }
        IReadOnlyList<uint> neighbours = unusable.Count == 0 ? graphNeighbours : [.. graphNeighbours.Where(v => !unusable.Contains(v))];
        var session = new ClientSession(sessionId, peers, neighbours, AdvertisedSet.Of(p, advertised));
        uint[] holders = [.. neighbours.Append(ClientId).Order()];
        if (holders.Length < p.Threshold)
        {
            throw new ClientAbortException(AbortReason.TooFewClients, $"{holders.Length} share holders, fewer than t = {p.Threshold}");
        }
        ClientEnvelope envelope = ShareSecrets(session, neighbours, holders);
        return new ClientTransition(new ClientR1ShareKeysState(Context, session, _secrets), envelope);
    }

    private ClientEnvelope ShareSecrets(ClientSession session, IReadOnlyList<uint> neighbours, uint[] holders)
    {
        var p = Context.Parameters;
        _secrets.SelfMaskSeed = new SecretBuffer(ShamirScheme.SecretSize);
        Context.Random.Fill(_secrets.SelfMaskSeed.Span);
        // Both share sets in one pinned buffer (seed shares, then key shares): each pinned allocation searches the
        // pinned heap, and a simulation makes them for 10,000 clients. The exported mask key is wiped on the stack.
        int sharesBytes = holders.Length * ShamirScheme.ShareSize;
        using var shareBuffer = new SecretBuffer(2 * sharesBytes);
        Span<byte> maskKeyBytes = stackalloc byte[ShamirScheme.SecretSize];
        try
        {
            _secrets.MaskKey!.ExportPrivateKey(maskKeyBytes);
            ShamirScheme.Split(_secrets.SelfMaskSeed.Span, p.Threshold, holders, shareBuffer.Span[..sharesBytes], Context.Random, Context.Parallelism);
            ShamirScheme.Split(maskKeyBytes, p.Threshold, holders, shareBuffer.Span[sharesBytes..], Context.Random, Context.Parallelism);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(maskKeyBytes);
        }

        // Per holder: one X25519 for both directions' share keys and the consistency key, then the sealed bundle.
        // Independent, so in parallel, each into its own slots of the secrets' tables (lowest failing holder reported).
        var bundles = new EncryptedShareBundle[neighbours.Count];
        var agreed = new bool[holders.Length];
        int self = Array.IndexOf(holders, ClientId);
        _secrets.CreateShareTables(holders, [.. holders.Where(h => h != ClientId)]);
        _secrets.HoldShares(ClientId, shareBuffer.Span.Slice(self * ShamirScheme.ShareSize, ShamirScheme.ShareSize),
            shareBuffer.Span.Slice(sharesBytes + self * ShamirScheme.ShareSize, ShamirScheme.ShareSize));
        agreed[self] = true;
        BoundedParallel.For(Context.Parallelism, holders.Length, h =>
        {
            if (h != self)
            {
                int slot = h < self ? h : h - 1; // the neighbour's index: holders without this client
                agreed[h] = SealBundle(session, holders[h], shareBuffer.Span.Slice(h * ShamirScheme.ShareSize, ShamirScheme.ShareSize),
                    shareBuffer.Span.Slice(sharesBytes + h * ShamirScheme.ShareSize, ShamirScheme.ShareSize), slot, out bundles[slot]);
            }
        });
        int failed = BoundedParallel.FirstFailure(agreed);
        if (failed >= 0)
        {
            throw new ClientAbortException(AbortReason.KeyAgreementFailed, $"key agreement with client {holders[failed]} failed");
        }
        _secrets.ReleaseEncryptionKey(); // both directions' share keys are derived: the private key is done
        byte[] body = MessageCodec.Encode(new ShareKeys { Shares = bundles });
        return EnvelopeSigning.Seal(Context.Identity, session.SessionId, ClientId, ProtocolStage.ShareKeys, body);
    }

    // Derives both share keys and the consistency key with `holder` (one X25519) into neighbour slot `slot` of the
    // secrets' tables and seals its bundle; false when the key agreement fails. Thread-safe (distinct slots).
    private bool SealBundle(ClientSession session, uint holder, ReadOnlySpan<byte> seedShare, ReadOnlySpan<byte> keyShare, int slot,
        out EncryptedShareBundle bundle)
    {
        Span<byte> plaintext = stackalloc byte[ShareBundlePlaintext.Size];
        Span<byte> keys = stackalloc byte[3 * ShareCipher.KeySize];
        bundle = null!;
        try
        {
            ReadOnlyMemory<byte>[] infos = [SessionDerivation.ShareKeyInfo(ClientId, holder), SessionDerivation.ShareKeyInfo(holder, ClientId), SessionDerivation.ConsistencyKeyInfo(ClientId, holder)];
            if (!_secrets.EncryptionKey!.TryDeriveSharedKeys(session.Peers[holder].EncryptionPublicKey, session.SessionId, infos, keys))
            {
                return false;
            }
            keys.Slice(ShareCipher.KeySize, ShareCipher.KeySize).CopyTo(_secrets.ReceiveKeys!.Fill(slot));
            keys.Slice(2 * ShareCipher.KeySize, ShareCipher.KeySize).CopyTo(_secrets.ConsistencyKeys!.Fill(slot));
            ShareBundlePlaintext.Write(plaintext, ClientId, holder, seedShare, keyShare);
            byte[] ad = SessionDerivation.ShareBundleAssociatedData(session.SessionId, ClientId, holder);
            bundle = new EncryptedShareBundle { PeerId = holder, Ciphertext = ShareCipher.Seal(keys[..ShareCipher.KeySize], ad, plaintext) };
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
            CryptographicOperations.ZeroMemory(keys);
        }
    }

    private protected override void ReleaseSecrets() => _secrets.Dispose();
}
