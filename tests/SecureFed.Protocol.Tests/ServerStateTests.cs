using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Server;
using SecureFed.Testing;

namespace SecureFed.Protocol.Tests;

// One group per server state: the stage's own content rules, and closing with too few clients.
public class ServerStateTests
{
    [Fact]
    public void R0_refuses_a_key_already_advertised_by_another_client_and_aborts_below_threshold()
    {
        using var r = new ManualRound(5);
        var replies = r.StartClients();
        Assert.IsType<ServerR0AdvertiseKeysState>(r.Server);
        var body = MessageCodec.Decode<AdvertiseKeys>(replies[1].Body, 1024);
        var copy = MessageCodec.Encode(new AdvertiseKeys { MaskPublicKey = body.MaskPublicKey, EncryptionPublicKey = MessageCodec.Decode<AdvertiseKeys>(replies[2].Body, 1024).EncryptionPublicKey });
        r.SendToServer([replies[1]]);
        var e = EnvelopeSigning.Seal(r.Identity(2), r.Parameters.ConfigurationHash.Span, 2, ProtocolStage.AdvertiseKeys, copy);
        Assert.Equal(RejectionReason.InvalidContent, r.SendToServer([e])[0].Rejection!.Reason);
        r.SendToServer([replies[3]]);
        r.CloseStage();
        Assert.Equal(AbortReason.TooFewClients, Assert.IsType<ServerAbortedState>(r.Server).Reason);
    }

    [Fact]
    public void R1_refuses_bundles_for_the_wrong_recipients()
    {
        using var r = new ManualRound(4);
        var replies = r.Step(r.StartClients());
        Assert.IsType<ServerR1ShareKeysState>(r.Server);
        var body = MessageCodec.Decode<ShareKeys>(replies[1].Body, 1 << 20);
        var reversed = MessageCodec.Encode(new ShareKeys { Shares = [.. body.Shares.Reverse()] });
        var e = EnvelopeSigning.Seal(r.Identity(1), r.Server.Context.SessionId!, 1, ProtocolStage.ShareKeys, reversed);
        Assert.Equal(RejectionReason.InvalidContent, r.SendToServer([e])[0].Rejection!.Reason);
        Assert.True(r.SendToServer([replies[1]])[0].Accepted);
    }

    [Fact]
    public void R2_sums_as_messages_arrive_and_R3_refuses_a_signature_over_another_set()
    {
        using var r = new ManualRound(4);
        var replies = r.Step(r.Step(r.StartClients()));
        Assert.IsType<ServerR2MaskedInputState>(r.Server);
        replies = r.Step(replies, dropNow: [4]);
        Assert.IsType<ServerR3ConsistencyCheckState>(r.Server);
        var wrongSet = MessageCodec.Encode(new ConsistencyCheck { SurvivorSetHash = new byte[32] });
        var e = EnvelopeSigning.Seal(r.Identity(1), r.Server.Context.SessionId!, 1, ProtocolStage.ConsistencyCheck, wrongSet);
        Assert.Equal(RejectionReason.InvalidContent, r.SendToServer([e])[0].Rejection!.Reason);
        Assert.Equal(RejectionReason.NotExpected, r.SendToServer([EnvelopeSigning.Seal(r.Identity(4), r.Server.Context.SessionId!, 4, ProtocolStage.ConsistencyCheck, wrongSet)])[0].Rejection!.Reason);
        replies = r.Step(replies);
        Assert.IsType<ServerR4UnmaskingState>(r.Server);
        r.SendToServer(replies.Values);
        r.CloseStage();
        var done = Assert.IsType<ServerCompletedState>(r.Server);
        Assert.Equal([4u], done.Result.Dropped);
        Assert.Equal(RejectionReason.RoundClosed, r.SendToServer([replies[1]])[0].Rejection!.Reason);
    }

    [Fact]
    public void R3_refuses_consistency_tags_for_the_wrong_peers_or_of_the_wrong_size_and_keeps_the_state()
    {
        using var r = new ManualRound(5);
        var replies = r.Step(r.Step(r.StartClients()));
        replies = r.Step(replies, dropNow: [5]); // U3 = 1..4: client 1 tags 2, 3, 4
        Assert.IsType<ServerR3ConsistencyCheckState>(r.Server);
        var body = MessageCodec.Decode<ConsistencyCheck>(replies[1].Body, 1 << 20);
        Assert.Equal([2u, 3u, 4u], body.TaggedPeers);
        byte[] With(uint[] peers, byte[] tags) => MessageCodec.Encode(new ConsistencyCheck { SurvivorSetHash = body.SurvivorSetHash, TaggedPeers = peers, Tags = tags });
        foreach (var bad in new[]
                 {
                     With([2, 3], body.Tags[..64]),            // a surviving neighbour left out
                     With([2, 3, 4, 5], [.. body.Tags, .. new byte[32]]), // a dropped client tagged
                     With([3, 2, 4], body.Tags),              // out of order
                     With([2, 3, 4], body.Tags[..^1]),         // a short tag
                     With([1, 2, 3], body.Tags),              // itself
                 })
        {
            var e = EnvelopeSigning.Seal(r.Identity(1), r.Server.Context.SessionId!, 1, ProtocolStage.ConsistencyCheck, bad);
            Assert.Equal(RejectionReason.InvalidContent, r.SendToServer([e])[0].Rejection!.Reason);
            Assert.Empty(r.Server.Received);
        }
        Assert.True(r.SendToServer([replies[1]])[0].Accepted);
        r.SendToServer(replies.Values.Where(e => e.SenderId != 1));
        var inbox = r.CloseStage();
        // Each recipient gets, from each neighbour in U4, exactly the tag that neighbour addressed to it.
        var to3 = Assert.IsType<UnmaskingRequest>(inbox[3]);
        Assert.Equal([1u, 2u, 4u], to3.TagSenders);
        Assert.Equal(body.Tags.AsSpan(32, 32).ToArray(), to3.Tags[..32]);
    }

    [Fact]
    public void R4_refuses_missing_misordered_or_short_pair_seeds_and_keeps_the_state()
    {
        using var r = new ManualRound(6); // t = 4
        var replies = r.Step(r.Step(r.StartClients()));
        replies = r.Step(replies, dropNow: [5, 6]); // 5 and 6 sent shares but no masked input
        replies = r.Step(replies);
        Assert.IsType<ServerR4UnmaskingState>(r.Server);
        var body = MessageCodec.Decode<UnmaskingShares>(replies[1].Body, 1 << 20);
        Assert.Equal([5u, 6u], body.PairSeeds.Select(p => p.PeerId));
        byte[] Sealed(RevealedPairSeed[] seeds) => MessageCodec.Encode(new UnmaskingShares { Shares = body.Shares, PairSeeds = seeds });
        foreach (var bad in new[]
                 {
                     Sealed([body.PairSeeds[0]]),
                     Sealed([body.PairSeeds[1], body.PairSeeds[0]]),
                     Sealed([body.PairSeeds[0], new RevealedPairSeed { PeerId = 6, Seed = new byte[31] }]),
                     Sealed([body.PairSeeds[0], new RevealedPairSeed { PeerId = 4, Seed = new byte[32] }]),
                 })
        {
            var e = EnvelopeSigning.Seal(r.Identity(1), r.Server.Context.SessionId!, 1, ProtocolStage.Unmasking, bad);
            Assert.Equal(RejectionReason.InvalidContent, r.SendToServer([e])[0].Rejection!.Reason);
            Assert.Empty(r.Server.Received);
        }
        r.SendToServer(replies.Values);
        r.CloseStage();
        Assert.Equal([5u, 6u], Assert.IsType<ServerCompletedState>(r.Server).Result.Dropped);
    }

    [Fact]
    public void A_dropped_clients_mask_key_is_rebuilt_when_a_survivor_goes_silent_in_R4()
    {
        using var r = new ManualRound(6); // t = 4
        var replies = r.Step(r.Step(r.StartClients()));
        replies = r.Step(replies, dropNow: [6]); // 6 sent shares but no masked input
        replies = r.Step(replies);
        // Survivor 5 masked with 6 but reveals nothing: the server must rebuild s_6 from the others' shares.
        r.SendToServer(replies.Where(kv => kv.Key != 5).Select(kv => kv.Value));
        r.CloseStage();
        var done = Assert.IsType<ServerCompletedState>(r.Server);
        var expected = new ulong[8];
        foreach (uint id in new uint[] { 1, 2, 3, 4, 5 })
        {
            Primitives.Vectors.ModularArithmetic.AddInPlace(expected, r.Inputs[id], 32);
        }
        Assert.Equal(expected, done.Result.Sums[0]);
    }

    [Fact]
    public void R4_aborts_when_fewer_than_t_clients_reveal()
    {
        using var r = new ManualRound(5); // t = 3
        var replies = r.Step(r.Step(r.Step(r.Step(r.StartClients()))));
        r.SendToServer(replies.Where(kv => kv.Key <= 2).Select(kv => kv.Value));
        r.CloseStage();
        Assert.Equal(AbortReason.TooFewClients, Assert.IsType<ServerAbortedState>(r.Server).Reason);
    }
}
