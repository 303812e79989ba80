using SecureFed.HeProtocol.Decryptor;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Server;
using SecureFed.HeProtocol.Wire;
using SecureFed.Primitives.Randomness;
using SecureFed.Protocol.Messages;

namespace SecureFed.HeProtocol.Tests;

public sealed class WireTests
{
    [Fact]
    public void PackedPolynomialsRoundTripAndRefuseOutOfRangeResidues()
    {
        using var f = new HeRoundFixture();
        var p = f.Parameters.Plan.Parameters;
        int level = p.KeyLevel, n = p.Degree;
        var polys = new ulong[2][];
        for (int k = 0; k < 2; k++)
        {
            polys[k] = new ulong[level * n];
            for (int i = 0; i < level; i++)
            {
                for (int z = 0; z < n; z++)
                {
                    polys[k][i * n + z] = f.Random.NextBelow(p.Primes[i]);
                }
            }
            polys[k][n - 1] = p.Primes[0] - 1; // the largest residue still fits its width
        }
        byte[] packed = PolynomialPacking.Pack(p, level, polys);
        Assert.Equal(2 * PolynomialPacking.PolynomialBytes(p, level), packed.Length);
        var back = PolynomialPacking.Unpack(p, level, 2, packed, "test");
        Assert.Equal(polys[0], back[0]);
        Assert.Equal(polys[1], back[1]);
        Assert.Throws<MalformedMessageException>(() => PolynomialPacking.Unpack(p, level, 2, packed.AsSpan(1), "test"));
        Array.Fill(packed, (byte)0xFF, 0, 16); // all-ones residues are >= p_0
        Assert.Throws<MalformedMessageException>(() => PolynomialPacking.Unpack(p, level, 2, packed, "test"));
    }

    [Fact]
    public void DecryptorRefusesAlteredAdvertisementListsAndShareDeliveries()
    {
        using var f = new HeRoundFixture();
        // A refused message aborts the decryptor (wiping its secrets), so every case runs key generation afresh.
        (HePartyTransition[] Adverts, HeServerTransition H0) H0()
        {
            var server = HeServer.Start(f.Parameters);
            var adverts = f.Parameters.DecryptorIds.Select(id => HeDecryptor.Start(f.Parameters, f.Identity(id), id, f.Random).Advertise()).ToArray();
            Assert.All(adverts, a => Assert.True(server.Handle(a.Outgoing!).Accepted));
            return (adverts, server.CloseStage());
        }
        (HePartyTransition[] Shares, KeyShareDelivery Delivery) H1()
        {
            var (adverts, h0) = H0();
            var shares = adverts.Select(a => a.Next.Accept(HeRoundFixture.Received<AdvertisementList>(h0, a.Outgoing!.SenderId))).ToArray();
            Assert.All(shares, s => Assert.True(h0.Next.Handle(s.Outgoing!).Accepted));
            return (shares, HeRoundFixture.Received<KeyShareDelivery>(h0.Next.CloseStage(), 1));
        }
        void Refused(HePartyTransition[] steps, HeServerMessage message, string detail)
        {
            Assert.Contains(detail, steps[0].Next.Refuse(message), StringComparison.Ordinal);
            Assert.All(steps.Skip(1), s => s.Next.Dispose());
        }

        // Without decryptor 1's own advertisement, or with a substitute signed by decryptor 1 for another key.
        var (adverts, h0) = H0();
        Refused(adverts, new AdvertisementList { Advertisements = HeRoundFixture.Received<AdvertisementList>(h0, 1).Advertisements[1..] }, "own advertisement");
        (adverts, h0) = H0();
        var list = HeRoundFixture.Received<AdvertisementList>(h0, 1);
        var substitute = HeEnvelopeSigning.Seal(f.Parameters, f.Identity(1), 1, HeStage.KeyAdvertisement, adverts[1].Outgoing!.Body);
        Refused(adverts, new AdvertisementList { Advertisements = [substitute, .. list.Advertisements[1..]] }, "");

        var (shares, delivery) = H1();
        var flipped = new KeyShareDelivery
        {
            Decryptors = delivery.Decryptors,
            Shares = [.. delivery.Shares.Select((s, i) => new EncryptedKeyShare { PeerId = s.PeerId, Ciphertext = i == 0 ? [.. s.Ciphertext.Take(5), (byte)(s.Ciphertext[5] ^ 1), .. s.Ciphertext.Skip(6)] : s.Ciphertext })],
        };
        Refused(shares, flipped, "does not decrypt");
        // A share delivered under the wrong dealer's name fails its AAD.
        (shares, delivery) = H1();
        Refused(shares, new KeyShareDelivery { Decryptors = delivery.Decryptors, Shares = [new EncryptedKeyShare { PeerId = 2, Ciphertext = delivery.Shares[1].Ciphertext }, new EncryptedKeyShare { PeerId = 3, Ciphertext = delivery.Shares[0].Ciphertext }] }, "does not decrypt");
        (shares, _) = H1();
        Refused(shares, new KeyShareDelivery { Decryptors = [1], Shares = [] }, "final decryptor set");
        // The genuine delivery works.
        (shares, delivery) = H1();
        using var ready = Assert.IsType<DecryptorReadyState>(shares[0].Next.Accept(delivery).Next);
        Assert.Equal(new uint[] { 1, 2, 3 }, ready.FinalDecryptors);
        Assert.All(shares.Skip(1), s => s.Next.Dispose());
    }
}
