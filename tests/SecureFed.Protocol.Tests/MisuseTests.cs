using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Client;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Server;
using SecureFed.Testing;

namespace SecureFed.Protocol.Tests;

public class MisuseTests
{
    private static Dictionary<uint, ClientEnvelope> ReachStage(ManualRound r, int stage)
    {
        var replies = r.StartClients();
        for (int s = 0; s < stage; s++)
        {
            replies = r.Step(replies);
        }
        return replies;
    }

    [Fact]
    public void Duplicates_and_replays_are_refused()
    {
        using var r = new ManualRound(4);
        var replies = ReachStage(r, 2);
        Assert.True(r.SendToServer([replies[1]])[0].Accepted);
        var again = r.SendToServer([replies[1]])[0];
        Assert.Equal(RejectionReason.Duplicate, again.Rejection!.Reason);

        // An R0 envelope replayed into R2 is refused as the wrong stage.
        using var other = new ManualRound(4);
        var r0 = other.StartClients();
        Assert.Equal(RejectionReason.WrongStage, r.SendToServer([r0[2]])[0].Rejection!.Reason);
    }

    [Fact]
    public void An_envelope_from_another_round_fails_its_signature()
    {
        using var a = new ManualRound(4, seed: 1);
        var fromA = a.StartClients();
        // Same roster (same seed) but a different round id: the configuration hash differs.
        using var b = new ManualRound(4, seed: 1);
        b.Configuration.RoundId[0] ^= 1;
        var server = SecAggServer.Start(RoundParameters.Create(b.Configuration));
        Assert.Equal(RejectionReason.BadSignature, server.HandleBytes(MessageCodec.Encode(fromA[1])).Rejection!.Reason);
    }

    [Fact]
    public void Unknown_senders_bad_signatures_oversized_and_garbage_are_refused()
    {
        using var r = new ManualRound(4);
        var replies = ReachStage(r, 0);
        ClientEnvelope e = replies[1];
        var unknown = new ClientEnvelope { SenderId = 99, Stage = e.Stage, Body = e.Body, Signature = e.Signature };
        Assert.Equal(RejectionReason.UnknownSender, r.SendToServer([unknown])[0].Rejection!.Reason);
        var impostor = new ClientEnvelope { SenderId = 2, Stage = e.Stage, Body = e.Body, Signature = e.Signature };
        Assert.Equal(RejectionReason.BadSignature, r.SendToServer([impostor])[0].Rejection!.Reason);
        Assert.Equal(RejectionReason.Oversized, r.Server.HandleBytes(new byte[1 << 20]).Rejection!.Reason);
        Assert.Equal(RejectionReason.Malformed, r.Server.HandleBytes(new byte[] { 0xc1, 0x00 }).Rejection!.Reason);
        Assert.Empty(r.Server.Received);
    }

    [Fact]
    public void A_masked_input_of_the_wrong_length_is_refused_and_the_sum_is_untouched()
    {
        using var r = new ManualRound(4, length: 8);
        var replies = ReachStage(r, 2);
        using var id = IdentityKeyPair.FromSeed(new byte[32]);
        // Re-sign a short vector with the real client's identity so only the length is wrong.
        var body = MessageCodec.Encode(new MaskedInput { Vectors = [new byte[7 * 4]] });
        var e = EnvelopeSigning.Seal(r.Identity(1), SessionIdOf(r), 1, ProtocolStage.MaskedInputCollection, body);
        Assert.Equal(RejectionReason.WrongLength, r.SendToServer([e])[0].Rejection!.Reason);
        // Then the honest messages complete the round with the exact sum.
        r.SendToServer(replies.Values);
        replies = r.Deliver(r.CloseStage());
        replies = r.Step(replies);
        r.SendToServer(replies.Values);
        r.CloseStage();
        Assert.IsType<ServerCompletedState>(r.Server);
    }

    [Theory]
    [InlineData(30)]
    [InlineData(60)]
    public void A_masked_input_with_an_element_out_of_range_is_refused_and_the_sum_is_untouched(int bits)
    {
        // Whole-word encodings (4 or 8 bytes) are added straight from the received bytes: one element at or above
        // 2^bits in the last vector position must still refuse the whole input before the sum moves.
        using var r = new ManualRound(4, length: 9, bits: bits);
        var replies = ReachStage(r, 2);
        var honest = MessageCodec.Decode<MaskedInput>(replies[1].Body, replies[1].Body.Length);
        byte[] tooLarge = [.. honest.Vectors[0]];
        tooLarge[^1] |= 0x80; // the top byte of the last element: bit 31 or 63 is set
        var body = MessageCodec.Encode(new MaskedInput { Vectors = [tooLarge] });
        var e = EnvelopeSigning.Seal(r.Identity(1), SessionIdOf(r), 1, ProtocolStage.MaskedInputCollection, body);
        MessageRejection rejection = r.SendToServer([e])[0].Rejection!;
        Assert.Equal(RejectionReason.WrongLength, rejection.Reason);
        Assert.Contains($"not below 2^{bits}", rejection.Detail, StringComparison.Ordinal);
        // Then the honest messages complete the round with the exact sum.
        r.SendToServer(replies.Values);
        replies = r.Deliver(r.CloseStage());
        replies = r.Step(replies);
        r.SendToServer(replies.Values);
        r.CloseStage();
        var done = Assert.IsType<ServerCompletedState>(r.Server);
        ulong mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        ulong[] expected = new ulong[9];
        foreach (ulong[] x in r.Inputs.Values)
        {
            for (int i = 0; i < expected.Length; i++)
            {
                expected[i] = (expected[i] + x[i]) & mask;
            }
        }
        Assert.Equal(expected, done.Result.Sums[0]);
    }

    [Fact]
    public void A_client_reveals_by_the_survivor_set_it_signed_and_refuses_a_second_request()
    {
        using var r = new ManualRound(4);
        var replies = ReachStage(r, 3);
        r.SendToServer(replies.Values);
        var inbox = r.CloseStage();

        // The request names no alive or dropped client: client 2 decides from the set it signed (all of 1..4 survived
        // here), so it reveals a self-mask seed share of every owner it holds and no mask key share or pair seed.
        ClientTransition first = r.Clients[2].Handle(inbox[2]); // tags are per recipient
        var completed = Assert.IsType<ClientCompletedState>(first.Next);
        UnmaskingShares shares = MessageCodec.Decode<UnmaskingShares>(first.Outgoing!.Body, first.Outgoing.Body.Length);
        Assert.Equal([1u, 2, 3, 4], shares.Shares.Select(s => s.OwnerId));
        Assert.All(shares.Shares, s => Assert.Equal(ShareKind.SelfMaskSeed, s.Kind));
        Assert.Empty(shares.PairSeeds);

        // A later request, even one whose tags verify, is refused: no second reveal.
        ClientTransition refused = completed.Handle(inbox[2]);
        Assert.NotNull(refused.Refusal);
        Assert.Null(refused.Outgoing);
        Assert.Same(completed, refused.Next);
    }

    [Fact]
    public void A_server_cannot_collect_a_mask_key_share_of_a_survivor()
    {
        using var r = new ManualRound(4);
        var replies = ReachStage(r, 4);
        // Client 1 forges (well, signs) a reveal of client 2's mask key although 2 survived.
        var body = MessageCodec.Encode(new UnmaskingShares { Shares = [new RevealedShare { OwnerId = 2, Kind = ShareKind.MaskPrivateKey, Share = new byte[40] }] });
        var e = EnvelopeSigning.Seal(r.Identity(1), SessionIdOf(r), 1, ProtocolStage.Unmasking, body);
        Assert.Equal(RejectionReason.InvalidContent, r.SendToServer([e])[0].Rejection!.Reason);
    }

    [Fact]
    public void Client_input_of_the_wrong_shape_is_refused_at_start()
    {
        using var r = new ManualRound(3, length: 4, bits: 16, threshold: 2);
        using var rng = new DeterministicRandomSource(1);
        Assert.Throws<ArgumentException>(() => SecAggClient.Start(r.Parameters, 1, r.Identity(1), [new ulong[3]], rng));
        Assert.Throws<ArgumentException>(() => SecAggClient.Start(r.Parameters, 1, r.Identity(1), [new ulong[] { 1, 2, 3, 1 << 16 }], rng));
        Assert.Throws<ArgumentException>(() => SecAggClient.Start(r.Parameters, 9, r.Identity(1), [new ulong[4]], rng));
        Assert.Throws<ArgumentException>(() => SecAggClient.Start(r.Parameters, 2, r.Identity(1), [new ulong[4]], rng));
    }

    private static byte[] SessionIdOf(ManualRound r) => r.Server.Context.SessionId!;
}
