using SecureFed.Transcripts;
using SecureFed.Audit.Verification;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Simulation;

namespace SecureFed.Audit.Tests;

// Doctored transcripts that the aggregator re-signed (it holds its own key, so the chain and signatures pass): each
// protocol check must catch the lie it is there for.
public class MaliciousAggregatorTests
{
    private static SampleRound R => SampleRound.Complete;

    private static AuditVerification Verify(byte[] transcript)
    {
        using var keys = R.Keys();
        AuditVerification v = TranscriptVerifier.Verify(transcript, keys, SampleRound.AggregatorPublicKey);
        Checks.AssertStatus(v, "transcript.chain", AuditCheckStatus.Passed);
        Checks.AssertStatus(v, "transcript.signatures", AuditCheckStatus.Passed);
        Assert.False(v.Passed);
        return v;
    }

    private static List<RecordedMessage> ReplaceServerMessage<T>(Func<RecordedMessage, bool> which, Func<T, ServerMessage> change)
        where T : ServerMessage
    {
        var messages = R.Messages.ToList();
        int i = messages.FindIndex(m => m.Kind == TranscriptRecordKind.ServerToClient && MessageCodec.DecodeServerMessage(m.Bytes, int.MaxValue) is T && which(m));
        Assert.True(i >= 0);
        var original = (T)MessageCodec.DecodeServerMessage(messages[i].Bytes, int.MaxValue);
        messages[i] = messages[i] with { Bytes = MessageCodec.EncodeServerMessage(change(original)) };
        return messages;
    }

    [Fact]
    public void A_published_sum_that_is_not_the_unmasked_sum_is_caught()
    {
        TranscriptResult result = R.Result();
        result.Sums[0][5] ^= 0x10;
        AuditVerification v = Verify(R.Write(R.Messages, result, null));
        Checks.AssertStatus(v, "result.unmasking", AuditCheckStatus.Failed);
        Checks.AssertStatus(v, "keys.sum", AuditCheckStatus.Failed);
    }

    [Fact]
    public void Published_survivors_that_differ_from_the_masked_inputs_are_caught()
    {
        TranscriptResult result = R.Result();
        result.Survivors = [.. result.Survivors.Skip(1)];
        Checks.AssertStatus(Verify(R.Write(R.Messages, result, null)), "protocol.result-sets", AuditCheckStatus.Failed);
    }

    [Fact]
    public void A_survivor_set_that_differs_for_one_client_is_caught()
    {
        var messages = ReplaceServerMessage<SurvivorSet>(m => m.Party == 1, s => new SurvivorSet { Survivors = [(byte)(s.Survivors[0] & ~(1 << 2)), .. s.Survivors[1..]] }); // client 3: bit 2
        Checks.AssertStatus(Verify(R.Write(messages, R.Result(), null)), "protocol.survivor-set", AuditCheckStatus.Failed);
    }

    [Fact]
    public void A_survivor_set_that_is_not_a_bitmap_over_the_roster_is_caught()
    {
        // The same bytes to every recipient, so only the bitmap's own check can catch it: one byte too many.
        var messages = R.Messages.Select(m => m.Kind == TranscriptRecordKind.ServerToClient && MessageCodec.DecodeServerMessage(m.Bytes, int.MaxValue) is SurvivorSet s
            ? m with { Bytes = MessageCodec.EncodeServerMessage(new SurvivorSet { Survivors = [.. s.Survivors, 0] }) }
            : m).ToList();
        AuditVerification report = Verify(R.Write(messages, R.Result(), null));
        Checks.AssertStatus(report, "protocol.survivor-set", AuditCheckStatus.Failed);
        Assert.Contains("not a bitmap", report.Checks.Single(c => c.Id == "protocol.survivor-set").Reason);
    }

    [Fact]
    public void A_share_delivery_missing_a_bundle_is_caught()
    {
        var messages = ReplaceServerMessage<ShareDelivery>(m => m.Party == 4, d => new ShareDelivery { Shares = [.. d.Shares.Skip(1)] });
        Checks.AssertStatus(Verify(R.Write(messages, R.Result(), null)), "protocol.share-delivery", AuditCheckStatus.Failed);
    }

    [Fact]
    public void An_unmasking_request_forwarding_a_tag_nobody_signed_is_caught()
    {
        // The server swaps in a made-up tag for one neighbour: the client would refuse it, and the auditor sees that the
        // tag is not the one the neighbour's signed R3 message carries.
        var messages = ReplaceServerMessage<UnmaskingRequest>(m => m.Party == 1, u =>
        {
            byte[] tags = u.Tags.ToArray();
            tags[0] ^= 0x80;
            return new UnmaskingRequest { TagSenders = u.TagSenders, Tags = tags };
        });
        Checks.AssertStatus(Verify(R.Write(messages, R.Result(), null)), "protocol.unmasking-request", AuditCheckStatus.Failed);
    }

    [Fact]
    public void An_unmasking_request_crediting_a_tag_to_the_wrong_sender_is_caught()
    {
        var messages = ReplaceServerMessage<UnmaskingRequest>(m => m.Party == 1, u =>
            new UnmaskingRequest { TagSenders = u.TagSenders, Tags = [.. u.Tags[32..64], .. u.Tags[..32], .. u.Tags[64..]] });
        Checks.AssertStatus(Verify(R.Write(messages, R.Result(), null)), "protocol.unmasking-request", AuditCheckStatus.Failed);
    }

    [Fact]
    public void A_client_message_recorded_before_its_prompt_is_caught()
    {
        var messages = R.Messages.ToList();
        int r2 = messages.FindIndex(m => m.Kind == TranscriptRecordKind.ClientToServer && m.Party == 3 &&
            MessageCodec.Decode<ClientEnvelope>(m.Bytes, int.MaxValue).Stage == ProtocolStage.MaskedInputCollection);
        RecordedMessage moved = messages[r2];
        messages.RemoveAt(r2);
        messages.Insert(messages.FindIndex(m => m.Kind == TranscriptRecordKind.ServerToClient) , moved);
        Checks.AssertStatus(Verify(R.Write(messages, R.Result(), null)), "protocol.stage-order", AuditCheckStatus.Failed);
    }

    [Fact]
    public void A_changed_masked_input_breaks_the_client_signature()
    {
        var messages = R.Messages.ToList();
        int r2 = messages.FindIndex(m => m.Kind == TranscriptRecordKind.ClientToServer &&
            MessageCodec.Decode<ClientEnvelope>(m.Bytes, int.MaxValue).Stage == ProtocolStage.MaskedInputCollection);
        var e = MessageCodec.Decode<ClientEnvelope>(messages[r2].Bytes, int.MaxValue);
        e.Body[^1] ^= 1;
        messages[r2] = messages[r2] with { Bytes = MessageCodec.Encode(e) };
        Checks.AssertStatus(Verify(R.Write(messages, R.Result(), null)), "protocol.envelopes", AuditCheckStatus.Failed);
    }

    [Fact]
    public void A_client_that_reveals_both_secrets_of_a_peer_is_caught()
    {
        // Forge (with the simulated client's own identity key) an R4 message that also reveals survivor 3's mask key.
        RoundView view = RoundView.Build(TranscriptReader.Read(R.Transcript), Header(), out _)!;
        var messages = R.Messages.ToList();
        int r4 = messages.FindIndex(m => m.Kind == TranscriptRecordKind.ClientToServer && m.Party == 1 &&
            MessageCodec.Decode<ClientEnvelope>(m.Bytes, int.MaxValue).Stage == ProtocolStage.Unmasking);
        var e = MessageCodec.Decode<ClientEnvelope>(messages[r4].Bytes, int.MaxValue);
        var body = MessageCodec.Decode<UnmaskingShares>(e.Body, int.MaxValue);
        var shares = body.Shares.ToList();
        int at = shares.FindIndex(s => s.OwnerId == 3);
        shares.Insert(at + 1, new RevealedShare { OwnerId = 3, Kind = ShareKind.MaskPrivateKey, Share = new byte[40] });
        using IdentityKeyPair identity = IdentityKeyPair.FromSeed(SimulatedClientSecrets.Derive(SampleRound.Seed, 1).IdentitySeed);
        ClientEnvelope forged = EnvelopeSigning.Seal(identity, view.SessionId, 1, ProtocolStage.Unmasking, MessageCodec.Encode(new UnmaskingShares { Shares = [.. shares] }));
        messages[r4] = messages[r4] with { Bytes = MessageCodec.Encode(forged) };
        AuditVerification v = Verify(R.Write(messages, R.Result(), null));
        Checks.AssertStatus(v, "protocol.envelopes", AuditCheckStatus.Passed);
        Checks.AssertStatus(v, "protocol.no-double-reveal", AuditCheckStatus.Failed);
    }

    [Fact]
    public void A_client_that_reveals_a_wrong_pair_seed_for_a_dropped_neighbour_is_caught()
    {
        // Client 2 dropped after R1; client 1's R4 message carries s_12. Forge it (with client 1's own key) with another seed.
        RoundView view = RoundView.Build(TranscriptReader.Read(R.Transcript), Header(), out _)!;
        var messages = R.Messages.ToList();
        int r4 = messages.FindIndex(m => m.Kind == TranscriptRecordKind.ClientToServer && m.Party == 1 &&
            MessageCodec.Decode<ClientEnvelope>(m.Bytes, int.MaxValue).Stage == ProtocolStage.Unmasking);
        var e = MessageCodec.Decode<ClientEnvelope>(messages[r4].Bytes, int.MaxValue);
        var body = MessageCodec.Decode<UnmaskingShares>(e.Body, int.MaxValue);
        RevealedPairSeed seed = Assert.Single(body.PairSeeds, p => p.PeerId == 2);
        seed.Seed[0] ^= 1;
        using IdentityKeyPair identity = IdentityKeyPair.FromSeed(SimulatedClientSecrets.Derive(SampleRound.Seed, 1).IdentitySeed);
        ClientEnvelope forged = EnvelopeSigning.Seal(identity, view.SessionId, 1, ProtocolStage.Unmasking, MessageCodec.Encode(body));
        messages[r4] = messages[r4] with { Bytes = MessageCodec.Encode(forged) };
        AuditVerification v = Verify(R.Write(messages, R.Result(), null));
        Checks.AssertStatus(v, "protocol.envelopes", AuditCheckStatus.Passed);
        Checks.AssertStatus(v, "result.unmasking", AuditCheckStatus.Failed);
    }

    private static TranscriptHeader Header()
    {
        TranscriptRecord first = TranscriptReader.Read(R.Transcript)[0];
        return MessageCodec.Decode<TranscriptHeader>(first.Payload, int.MaxValue);
    }
}
