using SecureFed.HeProtocol.Client;
using SecureFed.HeProtocol.Decryptor;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Server;

namespace SecureFed.HeProtocol.Tests;

/// <summary>Clients and decryptors refuse what a dishonest server could send them.</summary>
public sealed class PartyRefusalTests
{
    // Runs H0 and H1 honestly and returns the announcement, the ready decryptors and the H2 server.
    private static (CollectiveKeyAnnouncement Announcement, Dictionary<uint, HePartyState> Ready, HeServerState Server) KeyGeneration(HeRoundFixture f)
    {
        var server = HeServer.Start(f.Parameters);
        var adverts = f.Parameters.DecryptorIds.Select(id => HeDecryptor.Start(f.Parameters, f.Identity(id), id, f.Random).Advertise()).ToArray();
        foreach (var a in adverts)
        {
            Assert.True(server.Handle(a.Outgoing!).Accepted);
        }
        var h0 = server.CloseStage();
        var shares = adverts.Select(a => a.Next.Accept(HeRoundFixture.Received<AdvertisementList>(h0, a.Outgoing!.SenderId))).ToArray();
        foreach (var s in shares)
        {
            Assert.True(h0.Next.Handle(s.Outgoing!).Accepted);
        }
        var h1 = h0.Next.CloseStage();
        var ready = shares.ToDictionary(s => s.Outgoing!.SenderId, s => s.Next.Accept(HeRoundFixture.Received<KeyShareDelivery>(h1, s.Outgoing!.SenderId)).Next);
        return (HeRoundFixture.Received<CollectiveKeyAnnouncement>(h1, 4), ready, h1.Next);
    }

    [Fact]
    public void ClientRefusesACollectiveKeyWithABadOrMissingSignature()
    {
        using var f = new HeRoundFixture();
        using var other = new HeRoundFixture(roundTag: 50);
        var (announcement, ready, _) = KeyGeneration(f);
        Assert.NotNull(HeClient.VerifyKey(f.Parameters, announcement));

        var tampered = announcement.Advertisements.Select(e => new HeEnvelope { SenderId = e.SenderId, Stage = e.Stage, Body = e.Body, Signature = (byte[])e.Signature.Clone() }).ToArray();
        tampered[1].Signature[0] ^= 1;
        Assert.Throws<HeProtocolException>(() => HeClient.VerifyKey(f.Parameters, new CollectiveKeyAnnouncement { Advertisements = tampered }));
        var unsigned = announcement.Advertisements.Select(e => new HeEnvelope { SenderId = e.SenderId, Stage = e.Stage, Body = e.Body }).ToArray();
        Assert.Throws<HeProtocolException>(() => HeClient.VerifyKey(f.Parameters, new CollectiveKeyAnnouncement { Advertisements = unsigned }));
        // Fewer than the threshold, a server-made key signed by a non-decryptor, an advertisement from another round.
        Assert.Throws<HeProtocolException>(() => HeClient.VerifyKey(f.Parameters, new CollectiveKeyAnnouncement { Advertisements = announcement.Advertisements[..1] }));
        var byClient = HeEnvelopeSigning.Seal(f.Parameters, f.Identity(4), 4, HeStage.KeyAdvertisement, announcement.Advertisements[0].Body);
        Assert.Throws<HeProtocolException>(() => HeClient.VerifyKey(f.Parameters, new CollectiveKeyAnnouncement { Advertisements = [.. announcement.Advertisements, byClient] }));
        var foreign = HeDecryptor.Start(other.Parameters, other.Identity(3), 3, other.Random).Advertise();
        foreign.Next.Dispose();
        Assert.Throws<HeProtocolException>(() => HeClient.VerifyKey(f.Parameters, new CollectiveKeyAnnouncement { Advertisements = [.. announcement.Advertisements[..2], foreign.Outgoing!] }));
        // A client given a refused announcement aborts (wiping its update); given the genuine one, it uploads.
        string detail = HeClient.Start(f.Parameters, f.Identity(4), 4, f.Inputs[4], f.Random).Refuse(new CollectiveKeyAnnouncement { Advertisements = tampered });
        Assert.Contains("signature", detail, StringComparison.Ordinal);
        var step = HeClient.Start(f.Parameters, f.Identity(4), 4, f.Inputs[4], f.Random).Accept(announcement);
        Assert.Equal(HeStage.Upload, step.Outgoing!.Stage);
        Assert.IsType<HeClientUploadedState>(step.Next);
        foreach (var r in ready.Values)
        {
            r.Dispose();
        }
    }

    [Fact]
    public void DecryptorRefusesWrongCommitmentSignaturesAndMismatchedOpenings()
    {
        using var f = new HeRoundFixture();
        var (announcement, ready, server) = KeyGeneration(f);
        foreach (uint id in f.Parameters.ClientIds)
        {
            Assert.True(server.Handle(HeClient.Start(f.Parameters, f.Identity(id), id, f.Inputs[id], f.Random).Handle(announcement).Outgoing!).Accepted);
        }
        var h2 = server.CloseStage();
        var request = HeRoundFixture.Received<DecryptionRequestMessage>(h2, 1);
        // A refused request aborts the decryptor (its key share wiped), so each case asks decryptor 1 of a fresh key
        // generation: its checks of signatures, openings and participants do not depend on the key.
        string Refused(DecryptionRequestMessage bad)
        {
            var (_, fresh, _) = KeyGeneration(f);
            string detail = fresh[1].Refuse(bad);
            fresh[2].Dispose();
            fresh[3].Dispose();
            return detail;
        }

        var badSignature = Clone(request);
        badSignature.Uploads[2].CommitmentSignature[10] ^= 1;
        Assert.Contains("signature", Refused(badSignature), StringComparison.Ordinal);
        var swapped = Clone(request);
        (swapped.Uploads[0].Masks, swapped.Uploads[1].Masks) = (swapped.Uploads[1].Masks, swapped.Uploads[0].Masks);
        Refused(swapped);
        var subset = Clone(request);
        subset.Uploads = subset.Uploads[..1]; // a single client's ciphertext is not an aggregate (MinimumClients = 2)
        Refused(subset);
        var notFinal = Clone(request);
        notFinal.Participants = [1, 4];
        Refused(notFinal);

        // The genuine request is answered, then a repeat for the same set is refused; the spent state is not reusable.
        var d1 = ready[1];
        var step = d1.Accept(request);
        Assert.Equal(HeStage.DecryptionShare, step.Outgoing!.Stage);
        Assert.Contains("refused", step.Next.Refuse(request), StringComparison.Ordinal);
        Assert.Throws<ObjectDisposedException>(() => d1.Handle(request));
        ready[2].Dispose();
        ready[3].Dispose();
    }

    private static DecryptionRequestMessage Clone(DecryptionRequestMessage r) => new()
    {
        Attempt = r.Attempt,
        Participants = [.. r.Participants],
        Uploads = [.. r.Uploads.Select(u => new OpenedUpload
        {
            ClientId = u.ClientId, Masks = [.. u.Masks], BodiesHash = [.. u.BodiesHash], Commitment = [.. u.Commitment], CommitmentSignature = [.. u.CommitmentSignature],
        })],
    };
}
