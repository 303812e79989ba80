using SecureFed.HeProtocol.Client;
using SecureFed.HeProtocol.Configuration;
using SecureFed.Lattice.Multiparty;
using SecureFed.HeProtocol.Decryptor;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Server;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Server;

namespace SecureFed.HeProtocol.Tests;

/// <summary>Every refusal leaves the server state unchanged; after the bad input the round still completes.</summary>
public sealed class RefusalTests
{
    private static void AssertRefused(HeServerState server, HeServerTransition transition, RejectionReason reason)
    {
        int received = server.Received.Count;
        Assert.False(transition.Accepted);
        Assert.Equal(reason, transition.Rejection!.Reason);
        Assert.Same(server, transition.Next);
        Assert.Equal(received, server.Received.Count);
    }

    private static HeEnvelope Reseal(HeRoundFixture f, HeEnvelope envelope, Func<byte[], byte[]> body) =>
        HeEnvelopeSigning.Seal(f.Parameters, f.Identity(envelope.SenderId), envelope.SenderId, envelope.Stage, body(envelope.Body));

    [Fact]
    public void ServerRefusesBadInputAtEveryStageAndTheRoundStillCompletes()
    {
        using var f = new HeRoundFixture(clients: 4, decryptors: 3, threshold: 2, length: 5000); // two blocks
        using var other = new HeRoundFixture(clients: 4, decryptors: 3, threshold: 2, length: 5000, roundTag: 99); // same identities, another round
        var server = HeServer.Start(f.Parameters);

        // H0.
        var adverts = f.Parameters.DecryptorIds.Select(id => HeDecryptor.Start(f.Parameters, f.Identity(id), id, f.Random).Advertise()).ToArray();
        var foreign = HeDecryptor.Start(other.Parameters, other.Identity(1), 1, other.Random).Advertise();
        AssertRefused(server, server.HandleBytes(HeRoundFixture.Bytes(foreign.Outgoing!)), RejectionReason.BadSignature); // wrong round
        var badSignature = HeRoundFixture.Bytes(adverts[0].Outgoing!);
        badSignature[^5] ^= 1;
        AssertRefused(server, server.HandleBytes(badSignature), RejectionReason.BadSignature);
        AssertRefused(server, server.HandleBytes(new byte[] { 0x93, 0x01, 0xFF }), RejectionReason.Malformed);
        AssertRefused(server, server.HandleBytes(new byte[1 << 20]), RejectionReason.Oversized);
        var wrongStage = HeEnvelopeSigning.Seal(f.Parameters, f.Identity(1), 1, HeStage.Upload, adverts[0].Outgoing!.Body);
        AssertRefused(server, server.Handle(wrongStage), RejectionReason.WrongStage);
        var notDecryptor = HeEnvelopeSigning.Seal(f.Parameters, f.Identity(4), 4, HeStage.KeyAdvertisement, adverts[0].Outgoing!.Body);
        AssertRefused(server, server.Handle(notDecryptor), RejectionReason.NotExpected);
        var shortKey = Reseal(f, adverts[0].Outgoing!, b => MessageCodec.Encode(new KeyAdvertisement { AgreementPublicKey = new byte[32], PublicKeyShare = new byte[10] }));
        AssertRefused(server, server.Handle(shortKey), RejectionReason.Malformed);
        var smallOrderKey = Reseal(f, adverts[0].Outgoing!, b =>
        {
            var body = MessageCodec.Decode<KeyAdvertisement>(b, int.MaxValue);
            body.AgreementPublicKey = new byte[32]; // u = 0: every agreement with it fails (issue 20)
            return MessageCodec.Encode(body);
        });
        AssertRefused(server, server.Handle(smallOrderKey), RejectionReason.InvalidContent);
        foreach (var a in adverts)
        {
            Assert.True(server.HandleBytes(HeRoundFixture.Bytes(a.Outgoing!)).Accepted);
        }
        AssertRefused(server, server.HandleBytes(HeRoundFixture.Bytes(adverts[1].Outgoing!)), RejectionReason.Duplicate); // replay
        var h0Close = server.CloseStage();
        server = h0Close.Next;

        // H1.
        var shares = adverts.Select(a => a.Next.Handle(HeRoundFixture.Received<AdvertisementList>(h0Close, a.Outgoing!.SenderId))).ToArray();
        var misaddressed = Reseal(f, shares[0].Outgoing!, b =>
        {
            var body = MessageCodec.Decode<KeyShares>(b, int.MaxValue);
            body.Shares[0].PeerId = 4;
            return MessageCodec.Encode(body);
        });
        AssertRefused(server, server.Handle(misaddressed), RejectionReason.InvalidContent);
        foreach (var s in shares)
        {
            Assert.True(server.Handle(s.Outgoing!).Accepted);
        }
        var h1Close = server.CloseStage();
        server = h1Close.Next;
        var ready = shares.ToDictionary(s => s.Outgoing!.SenderId, s => s.Next.Handle(HeRoundFixture.Received<KeyShareDelivery>(h1Close, s.Outgoing!.SenderId)).Next);

        // H2.
        var announcement = HeRoundFixture.Received<CollectiveKeyAnnouncement>(h1Close, 4);
        var uploads = f.Parameters.ClientIds.Select(id => HeClient.Start(f.Parameters, f.Identity(id), id, f.Inputs[id], f.Random).Handle(announcement)).ToArray();
        var first = MessageCodec.Decode<ClientUpload>(uploads[0].Outgoing!.Body, int.MaxValue);
        var truncated = Reseal(f, uploads[0].Outgoing!, _ => MessageCodec.Encode(new ClientUpload { Upload = first.Upload[..^8], Commitment = first.Commitment, CommitmentSignature = first.CommitmentSignature }));
        AssertRefused(server, server.Handle(truncated), RejectionReason.WrongLength);
        // Well-formed, committed and signed uploads of the wrong shape: one block (smaller), three blocks (over the limit).
        var key = HeClient.VerifyKey(f.Parameters, announcement);
        HeEnvelope Signed(int values)
        {
            byte[] upload = new UploadEncryptor(f.Parameters.Plan, key).Encrypt(new ulong[values], f.Random);
            byte[] commitment = UploadCommitment.Compute(f.Parameters.LatticeRound, 1, upload, f.Parameters.Plan.Parameters);
            return Reseal(f, uploads[0].Outgoing!, _ => MessageCodec.Encode(new ClientUpload
            {
                Upload = upload,
                Commitment = commitment,
                CommitmentSignature = f.Identity(1).Sign(HeDerivation.CommitmentSigningInput(f.Parameters.ConfigurationHash.Span, 1, commitment)),
            }));
        }
        AssertRefused(server, server.Handle(Signed(8)), RejectionReason.WrongLength);
        AssertRefused(server, server.Handle(Signed(9000)), RejectionReason.Oversized);
        var otherCommitment = (byte[])first.Commitment.Clone();
        otherCommitment[0] ^= 1;
        var mismatched = Reseal(f, uploads[0].Outgoing!, _ => MessageCodec.Encode(new ClientUpload { Upload = first.Upload, Commitment = otherCommitment, CommitmentSignature = first.CommitmentSignature }));
        AssertRefused(server, server.Handle(mismatched), RejectionReason.InvalidContent);
        var badCommitmentSignature = (byte[])first.CommitmentSignature.Clone();
        badCommitmentSignature[3] ^= 1;
        var unsigned = Reseal(f, uploads[0].Outgoing!, _ => MessageCodec.Encode(new ClientUpload { Upload = first.Upload, Commitment = first.Commitment, CommitmentSignature = badCommitmentSignature }));
        AssertRefused(server, server.Handle(unsigned), RejectionReason.BadSignature);
        // Another client's upload under client 2's name: its commitment binds client 1.
        var stolen = HeEnvelopeSigning.Seal(f.Parameters, f.Identity(2), 2, HeStage.Upload, uploads[0].Outgoing!.Body);
        AssertRefused(server, server.Handle(stolen), RejectionReason.InvalidContent);
        foreach (var u in uploads)
        {
            Assert.True(server.Handle(u.Outgoing!).Accepted);
        }
        AssertRefused(server, server.Handle(uploads[2].Outgoing!), RejectionReason.Duplicate);
        var h2Close = server.CloseStage();
        server = h2Close.Next;

        // H3: participants are decryptors 1 and 2.
        var h3 = Assert.IsType<HeServerH3DecryptionState>(server);
        Assert.Equal(new[] { 1, 2 }, h3.Participants);
        var request = HeRoundFixture.Received<DecryptionRequestMessage>(h2Close, 1);
        var answers = new[] { 1u, 2u }.Select(id => ready[id].Handle(request)).ToArray();
        var outsider = ready[3].Handle(new DecryptionRequestMessage { Attempt = 1, Participants = [1, 3], Uploads = request.Uploads });
        AssertRefused(server, server.Handle(outsider.Outgoing!), RejectionReason.NotExpected);
        var wrongAttempt = Reseal(f, answers[0].Outgoing!, b =>
        {
            var body = MessageCodec.Decode<DecryptionShareBody>(b, int.MaxValue);
            body.Attempt = 2;
            return MessageCodec.Encode(body);
        });
        AssertRefused(server, server.Handle(wrongAttempt), RejectionReason.InvalidContent);
        var shortShare = Reseal(f, answers[0].Outgoing!, b =>
        {
            var body = MessageCodec.Decode<DecryptionShareBody>(b, int.MaxValue);
            body.Share = body.Share[..^1];
            return MessageCodec.Encode(body);
        });
        AssertRefused(server, server.Handle(shortShare), RejectionReason.Malformed);
        foreach (var a in answers)
        {
            Assert.True(server.Handle(a.Outgoing!).Accepted);
        }
        // The check set (he.md 10.7) never answers: the first set's sum is published, marked unverified.
        var check = Assert.IsType<HeServerH3DecryptionState>(server.CloseStage().Next);
        Assert.Equal(HeDecryptionCheck.OverlappingSubset, check.Purpose); // [1,3] shares decryptor 1 with [1,2]
        var done = Assert.IsType<HeServerCompletedState>(check.CloseStage().Next);
        Assert.Equal(f.ExpectedSum(f.Parameters.ClientIds), done.Result.Sum);
        Assert.Equal(HeDecryptionCheck.Unverified, done.Check);
        Assert.Equal(RejectionReason.RoundClosed, done.Handle(answers[0].Outgoing!).Rejection!.Reason);
        foreach (var r in answers.Select(a => a.Next).Append(outsider.Next))
        {
            r.Dispose();
        }
    }
}
