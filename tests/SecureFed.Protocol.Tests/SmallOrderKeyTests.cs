using SecureFed.Primitives.KeyAgreement;
using SecureFed.Protocol.Client;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Server;
using SecureFed.Testing;

namespace SecureFed.Protocol.Tests;

// Issue 20, defect 3: one enrolled client advertising a small-order X25519 key made every honest neighbour's key
// agreement fail, and each of them aborted the round. The server refuses such an advertisement at R0 and a client
// that meets one in a directory anyway treats that peer as dropped.
public class SmallOrderKeyTests
{
    private static readonly byte[] Zero = new byte[32];

    private static byte[] WithMaskKey(ClientEnvelope genuine, byte[] maskKey)
    {
        var keys = MessageCodec.Decode<AdvertiseKeys>(genuine.Body, 1024);
        return MessageCodec.Encode(new AdvertiseKeys { MaskPublicKey = maskKey, EncryptionPublicKey = keys.EncryptionPublicKey });
    }

    [Fact]
    public void R0_refuses_a_small_order_key_with_invalid_content_and_the_honest_clients_complete_the_round()
    {
        using var r = new ManualRound(5);
        var replies = r.StartClients();
        var keys = MessageCodec.Decode<AdvertiseKeys>(replies[5].Body, 1024);
        byte[][] bad =
        [
            WithMaskKey(replies[5], Zero),
            MessageCodec.Encode(new AdvertiseKeys { MaskPublicKey = keys.MaskPublicKey, EncryptionPublicKey = Convert.FromHexString("0100000000000000000000000000000000000000000000000000000000000080") }),
        ];
        foreach (byte[] body in bad)
        {
            var e = EnvelopeSigning.Seal(r.Identity(5), r.Parameters.ConfigurationHash.Span, 5, ProtocolStage.AdvertiseKeys, body);
            ServerTransition t = r.SendToServer([e])[0];
            Assert.Equal(RejectionReason.InvalidContent, t.Rejection!.Reason);
            Assert.Contains("small-order", t.Rejection.Detail, StringComparison.Ordinal);
            Assert.Empty(r.Server.Received);
        }
        replies.Remove(5);
        r.Clients.Remove(5);
        for (int stage = 0; stage < 4; stage++)
        {
            replies = r.Step(replies);
        }
        r.SendToServer(replies.Values);
        r.CloseStage();
        var done = Assert.IsType<ServerCompletedState>(r.Server);
        var expected = new ulong[8];
        foreach (uint id in new uint[] { 1, 2, 3, 4 })
        {
            for (int k = 0; k < expected.Length; k++)
            {
                expected[k] = (expected[k] + r.Inputs[id][k]) & 0xFFFF_FFFF;
            }
        }
        Assert.Equal(expected, done.Result.Sums[0]);
        Assert.All(r.Clients.Values, c => Assert.IsType<ClientCompletedState>(c));
    }

    // A directory the server should never have sent: the honest clients' entries plus client 5's small-order one.
    // (A complete graph of all five, so the directory holds every entry and the root is the tree of them.)
    private static KeyDirectory DirectoryWithSmallOrderPeer(ManualRound r, Dictionary<uint, ClientEnvelope> replies)
    {
        var bad = EnvelopeSigning.Seal(r.Identity(5), r.Parameters.ConfigurationHash.Span, 5, ProtocolStage.AdvertiseKeys, WithMaskKey(replies[5], Zero));
        ClientEnvelope[] entries = [.. replies.Where(kv => kv.Key != 5).Select(kv => kv.Value).Append(bad).OrderBy(e => e.SenderId)];
        return Directories.WithEntries(new KeyDirectory { Advertised = [0b1_1111] }, entries, recommit: true);
    }

    [Fact]
    public void A_client_treats_a_peer_with_a_small_order_key_as_dropped_while_the_threshold_holds()
    {
        using var r = new ManualRound(5, threshold: 3);
        var replies = r.StartClients();
        ClientTransition t = r.Clients[1].Handle(DirectoryWithSmallOrderPeer(r, replies));
        Assert.IsType<ClientR1ShareKeysState>(t.Next);
        var body = MessageCodec.Decode<ShareKeys>(t.Outgoing!.Body, 1 << 20);
        Assert.Equal([2u, 3u, 4u], body.Shares.Select(s => s.PeerId));
    }

    [Fact]
    public void A_client_aborts_with_too_few_clients_when_leaving_out_the_small_order_peer_breaks_the_threshold()
    {
        using var r = new ManualRound(5, threshold: 5);
        var replies = r.StartClients();
        ClientTransition t = r.Clients[1].Handle(DirectoryWithSmallOrderPeer(r, replies));
        Assert.Equal(AbortReason.TooFewClients, Assert.IsType<ClientAbortedState>(t.Next).Reason);
    }

    [Fact]
    public void Every_listed_small_order_encoding_is_refused_by_libsodium_and_random_keys_are_not_small_order()
    {
        using var mine = AgreementKeyPair.Generate(Primitives.Randomness.SystemRandomSource.Instance);
        var output = new byte[32];
        string[] listed =
        [
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0100000000000000000000000000000000000000000000000000000000000000",
            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
            "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        ];
        foreach (string hex in listed)
        {
            byte[] key = Convert.FromHexString(hex);
            foreach (byte top in new byte[] { 0x00, 0x80 })
            {
                key[31] = (byte)((key[31] & 0x7F) | top);
                Assert.True(AgreementKeyPair.IsSmallOrder(key), Convert.ToHexString(key));
                Assert.False(mine.TryDeriveSharedKey(key, [], [1], output), $"libsodium agreed with {Convert.ToHexString(key)}");
            }
        }
        for (int i = 0; i < 200; i++)
        {
            using var peer = AgreementKeyPair.Generate(Primitives.Randomness.SystemRandomSource.Instance);
            Assert.False(AgreementKeyPair.IsSmallOrder(peer.PublicKey));
            Assert.True(mine.TryDeriveSharedKey(peer.PublicKey, [], [1], output));
        }
        Assert.False(AgreementKeyPair.IsSmallOrder(new byte[31]));
    }
}
