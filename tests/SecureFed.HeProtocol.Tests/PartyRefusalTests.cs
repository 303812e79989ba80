using SecureFed.HeProtocol.Client;
using SecureFed.HeProtocol.Decryptor;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Server;

namespace SecureFed.HeProtocol.Tests;

/// <summary>Clients and decryptors refuse what a dishonest server could send them.</summary>
public sealed class PartyRefusalTests
{
    // Runs H0 and H1 honestly and returns the announcement, the ready decryptors and the H2 server.
    private static (CollectiveKeyAnnouncement Announcement, Dictionary<uint, DecryptorReadyState> Ready, HeServerState Server) KeyGeneration(HeRoundFixture f)
    {
        var server = HeServer.Start(f.Parameters);
        var adverts = f.Parameters.DecryptorIds.Select(id => HeDecryptor.Start(f.Parameters, f.Identity(id), id, f.Random).Advertise()).ToArray();
        foreach (var a in adverts)
        {
            Assert.True(server.Handle(a.Envelope).Accepted);
        }
        var h0 = server.CloseStage();
        var shares = adverts.Select(a => a.Next.ShareKeys(HeRoundFixture.Received<AdvertisementList>(h0, a.Envelope.SenderId))).ToArray();
        foreach (var s in shares)
        {
            Assert.True(h0.Next.Handle(s.Envelope).Accepted);
        }
        var h1 = h0.Next.CloseStage();
        var ready = shares.ToDictionary(s => s.Envelope.SenderId, s => s.Next.ReceiveKeyShares(HeRoundFixture.Received<KeyShareDelivery>(h1, s.Envelope.SenderId)));
        return (HeRoundFixture.Received<CollectiveKeyAnnouncement>(h1, 4), ready, h1.Next);
    }

    [Fact]
    public void ClientRefusesACollectiveKeyWithABadOrMissingSignature()
    {
        using var f = new HeRoundFixture();
        using var other = new HeRoundFixture(roundTag: 50);
        var (announcement, ready, _) = KeyGeneration(f);
        var client = HeClient.Start(f.Parameters, f.Identity(4), 4);
        Assert.NotNull(client.VerifyKey(announcement));

        var tampered = announcement.Advertisements.Select(e => new HeEnvelope { SenderId = e.SenderId, Stage = e.Stage, Body = e.Body, Signature = (byte[])e.Signature.Clone() }).ToArray();
        tampered[1].Signature[0] ^= 1;
        Assert.Throws<HeProtocolException>(() => client.VerifyKey(new CollectiveKeyAnnouncement { Advertisements = tampered }));
        var unsigned = announcement.Advertisements.Select(e => new HeEnvelope { SenderId = e.SenderId, Stage = e.Stage, Body = e.Body }).ToArray();
        Assert.Throws<HeProtocolException>(() => client.VerifyKey(new CollectiveKeyAnnouncement { Advertisements = unsigned }));
        // Fewer than the threshold, a server-made key signed by a non-decryptor, an advertisement from another round.
        Assert.Throws<HeProtocolException>(() => client.VerifyKey(new CollectiveKeyAnnouncement { Advertisements = announcement.Advertisements[..1] }));
        var byClient = HeEnvelopeSigning.Seal(f.Parameters, f.Identity(4), 4, HeStage.KeyAdvertisement, announcement.Advertisements[0].Body);
        Assert.Throws<HeProtocolException>(() => client.VerifyKey(new CollectiveKeyAnnouncement { Advertisements = [.. announcement.Advertisements, byClient] }));
        var foreign = HeDecryptor.Start(other.Parameters, other.Identity(3), 3, other.Random).Advertise();
        foreign.Next.Dispose();
        Assert.Throws<HeProtocolException>(() => client.VerifyKey(new CollectiveKeyAnnouncement { Advertisements = [.. announcement.Advertisements[..2], foreign.Envelope] }));
        // The refused announcements left the client usable.
        var step = client.Upload(announcement, f.Inputs[4], f.Random);
        Assert.Equal(HeStage.Upload, step.Envelope.Stage);
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
            Assert.True(server.Handle(HeClient.Start(f.Parameters, f.Identity(id), id).Upload(announcement, f.Inputs[id], f.Random).Envelope).Accepted);
        }
        var h2 = server.CloseStage();
        var request = HeRoundFixture.Received<DecryptionRequestMessage>(h2, 1);
        var d1 = ready[1];

        var badSignature = Clone(request);
        badSignature.Uploads[2].CommitmentSignature[10] ^= 1;
        Assert.Contains("signature", Assert.Throws<HeProtocolException>(() => d1.Decrypt(badSignature)).Message, StringComparison.Ordinal);
        var swapped = Clone(request);
        (swapped.Uploads[0].Masks, swapped.Uploads[1].Masks) = (swapped.Uploads[1].Masks, swapped.Uploads[0].Masks);
        Assert.Throws<HeProtocolException>(() => d1.Decrypt(swapped));
        var subset = Clone(request);
        subset.Uploads = subset.Uploads[..1]; // a single client's ciphertext is not an aggregate (MinimumClients = 2)
        Assert.Throws<HeProtocolException>(() => d1.Decrypt(subset));
        var notFinal = Clone(request);
        notFinal.Participants = [1, 4];
        Assert.Throws<HeProtocolException>(() => d1.Decrypt(notFinal));

        // The genuine request is still answered, then a repeat for the same set is refused.
        var step = d1.Decrypt(request);
        Assert.Equal(HeStage.DecryptionShare, step.Envelope.Stage);
        Assert.Throws<HeProtocolException>(() => step.Next.Decrypt(request));
        Assert.Throws<ObjectDisposedException>(() => d1.Decrypt(request)); // a spent state
        step.Next.Dispose();
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
