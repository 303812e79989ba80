using System.Security.Cryptography;
using SecureFed.Primitives.Aead;
using SecureFed.Primitives.Secrets;
using SecureFed.Primitives.Shamir;
using SecureFed.Protocol.Concurrency;
using SecureFed.Protocol.Configuration;
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
                    return HandleDirectory(decoded.Advertised.Span, decoded.Root.Span, decoded.EntryArray, decoded.Proof);
                }
            case KeyDirectory directory:
                ClientEnvelope[] entries = directory.Entries ?? throw Violation("key directory without entries");
                return HandleDirectory(directory.Advertised ?? throw Violation("key directory without the advertised set"),
                    directory.Root ?? throw Violation("key directory without a root"), new ArraySegment<DirectoryEntry>([.. entries.Select(DirectoryEntry.From)]),
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
    private ClientTransition HandleDirectory(ReadOnlySpan<byte> advertisedBitmap, ReadOnlySpan<byte> root, ArraySegment<DirectoryEntry> entries,
        ReadOnlyMemory<byte> proof)
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
        byte[] trustedRoot = root.ToArray();

        // One parallel pass on the client's threads does the roster-sized steps and the per-entry work together: the
        // graph (a shuffle of U1), the entries' leaf hashes and proof, and per entry other than this client's two
        // items: its signature; its keys and, for well-formed keys, the one X25519 (+ HKDF) of its share keys and
        // consistency key. The two long steps go first, so they overlap the per-entry work instead of running on one
        // core before it; two short items per entry halve the tail, where one thread waits for the other's last item.
        // The per-entry work starts before the entries are known to be this client's holders' (it needs only the
        // session id); nothing it computes is used or sent unless they are, and it is skipped when the directory carries
        // more entries than any client has holders. What a failure aborts with is decided afterwards, in the order the
        // spec's steps give: the entries, this client's own entry, the proof, then a bad signature, then the keys in
        // ascending sender order, then a failed agreement.
        int count = entries.Count;
        int perEntry = count <= MaximumHolders(p, advertised.Length) ? count : 0;
        uint[]? graphNeighbours = null;
        bool proven = false;
        var valid = new bool[count];
        var parsed = new PeerKeys?[count];
        var agreed = new bool[count];
        using var derived = new SecretBuffer(Math.Max(1, perEntry) * DerivedKeysSize);
        BoundedParallel.ForInOrder(Context.Parallelism, 2 + 2 * perEntry, item =>
        {
            switch (item)
            {
                case 0:
                    graphNeighbours = NeighbourGraphs.NeighboursOf(p, sessionId, advertised, ClientId);
                    break;
                case 1:
                    proven = ProvesRoot(entries, advertised, proof.Span, trustedRoot);
                    break;
                default:
                    int i = (item - 2) / 2;
                    DirectoryEntry entry = entries[i];
                    if (entry.SenderId == ClientId)
                    {
                        valid[i] = agreed[i] = true; // compared byte for byte below, not verified
                    }
                    else if (item % 2 == 0)
                    {
                        valid[i] = EnvelopeSigning.Verify(p, p.ConfigurationHash.Span, entry.ToEnvelope());
                    }
                    else
                    {
                        // Parsed and agreed whatever the signature: a bad signature aborts before either is used.
                        parsed[i] = PeerKeys.TryParse(entry.Body.ToArray());
                        agreed[i] = parsed[i] is { HasSmallOrderKey: false } keys &&
                            DeriveShareKeys(sessionId, entry.SenderId, keys, derived.Span.Slice(i * DerivedKeysSize, DerivedKeysSize));
                    }
                    break;
            }
        });

        uint[] graphNeighbourIds = graphNeighbours!;
        uint[] holderIds = [.. graphNeighbourIds.Append(ClientId).Order()];
        if (count != holderIds.Length)
        {
            throw Violation($"the key directory carries {count} entries for this client's {holderIds.Length} share holders");
        }
        int own = -1;
        for (int i = 0; i < count; i++)
        {
            DirectoryEntry e = entries[i];
            if (!e.Present || e.SenderId != holderIds[i] || e.Stage != ProtocolStage.AdvertiseKeys)
            {
                throw Violation("key directory entries must be the R0 envelopes of this client's neighbours and its own, in strictly ascending sender order");
            }
            own = e.SenderId == ClientId ? i : own;
        }
        if (entries[own].Version != _ownAdvertisement.Version || !entries[own].Body.Span.SequenceEqual(_ownAdvertisement.Body) ||
            !entries[own].Signature.Span.SequenceEqual(_ownAdvertisement.Signature))
        {
            throw new ClientAbortException(AbortReason.InconsistentKeys, "the key directory does not carry this client's own keys unchanged");
        }
        if (!proven)
        {
            throw new ClientAbortException(AbortReason.InconsistentKeys, "the key directory's entries are not the advertisements its root commits to");
        }

        // From here on entry i is holder holderIds[i]; the keys and signatures this client relies on are its
        // neighbours' (all clients for the complete graph, k of them for SecAgg+).
        int bad = BoundedParallel.FirstFailure(valid);
        if (bad >= 0)
        {
            throw new ClientAbortException(AbortReason.InvalidSignature, $"bad signature on the keys of client {holderIds[bad]}");
        }
        var peers = new Dictionary<uint, PeerKeys>();
        var seenKeys = new HashSet<PublicKeyBytes>();
        var unusable = new HashSet<uint>();
        // In ascending sender order, this client's own entry among them, as the repeated-key check has always run.
        for (int h = 0; h < holderIds.Length; h++)
        {
            PeerKeys keys = (h == own ? PeerKeys.TryParse(_ownAdvertisement.Body) : parsed[h])
                ?? throw new ClientAbortException(AbortReason.InconsistentKeys, $"client {holderIds[h]} advertised malformed keys");
            if (!seenKeys.Add(new PublicKeyBytes(keys.MaskPublicKey)) || !seenKeys.Add(new PublicKeyBytes(keys.EncryptionPublicKey)))
            {
                throw new ClientAbortException(AbortReason.InconsistentKeys, $"client {holderIds[h]} advertised a public key another client also advertised");
            }
            if (keys.HasSmallOrderKey)
            {
                // Every agreement with this peer would fail; it is treated as dropped at R0 (secagg.md section 4), so one
                // bad advertisement cannot abort the round while t holders remain.
                unusable.Add(holderIds[h]);
                continue;
            }
            peers.Add(holderIds[h], keys);
        }
        IReadOnlyList<uint> neighbours = unusable.Count == 0 ? graphNeighbourIds : [.. graphNeighbourIds.Where(v => !unusable.Contains(v))];
        var session = new ClientSession(sessionId, peers, neighbours, AdvertisedSet.FromBitmap(p, advertisedBitmap));
        uint[] holders = unusable.Count == 0 ? holderIds : [.. neighbours.Append(ClientId).Order()];
        if (holders.Length < p.Threshold)
        {
            throw new ClientAbortException(AbortReason.TooFewClients, $"{holders.Length} share holders, fewer than t = {p.Threshold}");
        }
        // The lowest holder whose agreement failed, as when the agreements ran after the sharing.
        foreach (uint holder in holders)
        {
            if (!agreed[Array.BinarySearch(holderIds, holder)])
            {
                throw new ClientAbortException(AbortReason.KeyAgreementFailed, $"key agreement with client {holder} failed");
            }
        }
        ClientEnvelope envelope = ShareSecrets(session, neighbours, holders, holderIds, derived);
        return new ClientTransition(new ClientR1ShareKeysState(Context, session, _secrets), envelope);
    }

    // The most holders (neighbours and this client) the round's graph gives a member of U1 (m members): all of U1 for
    // the complete graph; for H(k, m), the positions within min(k/2, m/2) either side, at most min(k, m - 1) others.
    private static int MaximumHolders(RoundParameters p, int m) => p.Configuration.Graph switch
    {
        GraphKind.Harary => Math.Min(p.Configuration.GraphDegree, m - 1) + 1,
        _ => m,
    };

    // True when the entries' leaves and the proof give the trusted root (secagg.md section 3); false also when an
    // entry's sender is not in U1 or the senders are not strictly ascending (the caller reports those first).
    private static bool ProvesRoot(ArraySegment<DirectoryEntry> entries, uint[] advertised, ReadOnlySpan<byte> proof, byte[] trustedRoot)
    {
        var indices = new int[entries.Count];
        var leafHashes = new byte[entries.Count * DirectoryTree.HashSize];
        for (int i = 0; i < entries.Count; i++)
        {
            DirectoryEntry e = entries[i];
            indices[i] = Array.BinarySearch(advertised, e.SenderId);
            DirectoryTree.LeafHash(e.SenderId, e.Body.Span, e.Signature.Span, leafHashes.AsSpan(i * DirectoryTree.HashSize, DirectoryTree.HashSize));
        }
        Span<byte> computed = stackalloc byte[DirectoryTree.HashSize];
        return DirectoryTree.TryComputeRoot(advertised.Length, indices, leafHashes, proof, computed) && computed.SequenceEqual(trustedRoot);
    }

    // Share key to the holder, share key from it, consistency key: what one X25519 with a neighbour gives (R1).
    private const int DerivedKeysSize = 3 * ShareCipher.KeySize;

    // Derives both share keys and the consistency key with `holder` (one X25519) into `keys`; false when the key
    // agreement fails. Thread-safe.
    private bool DeriveShareKeys(byte[] sessionId, uint holder, PeerKeys keys, Span<byte> derived)
    {
        ReadOnlyMemory<byte>[] infos = [SessionDerivation.ShareKeyInfo(ClientId, holder), SessionDerivation.ShareKeyInfo(holder, ClientId), SessionDerivation.ConsistencyKeyInfo(ClientId, holder)];
        return _secrets.EncryptionKey!.TryDeriveSharedKeys(keys.EncryptionPublicKey, sessionId, infos, derived);
    }

    // `derived` holds each neighbour's three keys at its position among `holderIds` (the graph's holders before any
    // unusable peer was left out).
    private ClientEnvelope ShareSecrets(ClientSession session, IReadOnlyList<uint> neighbours, uint[] holders, uint[] holderIds, SecretBuffer derived)
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

        // Per holder: its keys into the secrets' tables and its sealed bundle (the keys were derived with the signature
        // checks). Each into its own slots, so the complete graph's hundreds of bundles may be sealed in parallel.
        var bundles = new EncryptedShareBundle[neighbours.Count];
        int self = Array.IndexOf(holders, ClientId);
        var keyIndex = new int[holders.Length];
        for (int h = 0; h < holders.Length; h++)
        {
            keyIndex[h] = Array.BinarySearch(holderIds, holders[h]);
        }
        _secrets.CreateShareTables(holders, [.. holders.Where(h => h != ClientId)]);
        _secrets.HoldShares(ClientId, shareBuffer.Span.Slice(self * ShamirScheme.ShareSize, ShamirScheme.ShareSize),
            shareBuffer.Span.Slice(sharesBytes + self * ShamirScheme.ShareSize, ShamirScheme.ShareSize));
        BoundedParallel.ForCallerFirst(Context.Parallelism, holders.Length, h =>
        {
            if (h != self)
            {
                int slot = h < self ? h : h - 1; // the neighbour's index: holders without this client
                bundles[slot] = SealBundle(session, holders[h], shareBuffer.Span.Slice(h * ShamirScheme.ShareSize, ShamirScheme.ShareSize),
                    shareBuffer.Span.Slice(sharesBytes + h * ShamirScheme.ShareSize, ShamirScheme.ShareSize), slot,
                    derived.Span.Slice(keyIndex[h] * DerivedKeysSize, DerivedKeysSize));
            }
        });
        _secrets.ReleaseEncryptionKey(); // both directions' share keys are derived: the private key is done
        byte[] body = MessageCodec.Encode(new ShareKeys { Shares = bundles });
        return EnvelopeSigning.Seal(Context.Identity, session.SessionId, ClientId, ProtocolStage.ShareKeys, body);
    }

    // Keeps the receive and consistency keys of `holder` in neighbour slot `slot` of the secrets' tables and seals its
    // bundle under the share key to it. Thread-safe (distinct slots).
    private EncryptedShareBundle SealBundle(ClientSession session, uint holder, ReadOnlySpan<byte> seedShare, ReadOnlySpan<byte> keyShare, int slot,
        ReadOnlySpan<byte> keys)
    {
        Span<byte> plaintext = stackalloc byte[ShareBundlePlaintext.Size];
        try
        {
            keys.Slice(ShareCipher.KeySize, ShareCipher.KeySize).CopyTo(_secrets.ReceiveKeys!.Fill(slot));
            keys.Slice(2 * ShareCipher.KeySize, ShareCipher.KeySize).CopyTo(_secrets.ConsistencyKeys!.Fill(slot));
            ShareBundlePlaintext.Write(plaintext, ClientId, holder, seedShare, keyShare);
            byte[] ad = SessionDerivation.ShareBundleAssociatedData(session.SessionId, ClientId, holder);
            return new EncryptedShareBundle { PeerId = holder, Ciphertext = ShareCipher.Seal(keys[..ShareCipher.KeySize], ad, plaintext) };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private protected override void ReleaseSecrets() => _secrets.Dispose();
}
