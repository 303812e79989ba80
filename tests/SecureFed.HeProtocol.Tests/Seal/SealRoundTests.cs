using SecureFed.HeProtocol.Client;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Decryptor;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Seal;
using SecureFed.HeProtocol.Server;
using SecureFed.Lattice.Seal;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;
using SecureFed.Testing;

namespace SecureFed.HeProtocol.Tests.Seal;

/// <summary>
/// he.md section 11.3: a client whose update Microsoft SEAL (node-seal 7.0.0) encrypted under the round's collective
/// key, exported as a SEAL PublicKey, takes part in an HE round like any other, and the threshold of decryptors
/// decrypts the sum with it. Layouts SEAL cannot produce are refused at export.
/// </summary>
public sealed class SealRoundTests
{
    [SealPeerFact]
    public void A_SEAL_encrypted_update_is_accepted_and_decrypted_collectively()
    {
        // 5,000 values: two ciphertexts of N = 4096 (the second zero-padded), so block order is checked too.
        using var f = new HeRoundFixture(clients: 4, decryptors: 3, threshold: 2, length: 5000);
        const uint sealClient = 4;
        var dir = Directory.CreateTempSubdirectory("securefed-seal-round-").FullName;
        try
        {
            var result = Drive(f, (state, announcement) =>
            {
                File.WriteAllBytes(Path.Combine(dir, "parms.bin"), HeSealRound.Parameters(f.Parameters).Save());
                File.WriteAllBytes(Path.Combine(dir, "pk.bin"), state.ExportSealPublicKey(announcement, SealComprMode.Zstd));
                int n = f.Parameters.Plan.Parameters.Degree;
                var values = f.Inputs[sealClient];
                var steps = Enumerable.Range(0, f.Parameters.BlockCount).Select(b => (object)new
                {
                    op = "encrypt", publicKey = "pk.bin", @out = $"block{b}.bin", compression = "zlib",
                    values = values.Skip(b * n).Take(n).Select(v => v.ToString()).ToArray(),
                }).ToList();
                SealPeer.Run(dir, "parms.bin", steps);
                var blocks = Enumerable.Range(0, f.Parameters.BlockCount)
                    .Select(b => (ReadOnlyMemory<byte>)File.ReadAllBytes(Path.Combine(dir, $"block{b}.bin"))).ToList();
                return state.UploadSeal(announcement, blocks);
            }, sealClient);

            Assert.Equal([1u, 2u, 3u, 4u], result.Contributors);
            Assert.Equal(f.ExpectedSum([1, 2, 3, 4]), result.Sum);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Layouts_SEAL_cannot_produce_are_refused_at_export()
    {
        using var f = new HeRoundFixture(length: 8);
        Assert.NotNull(HeSealRound.Parameters(f.Parameters));
        var packed = With(f, c => c.Lanes = 2);
        Assert.Equal(SealExportRefusal.Lanes, Assert.Throws<SealExportException>(() => HeSealRound.Parameters(packed)).Refusal);
        var bodies = With(f, c => c.Bodies = 3);
        Assert.Equal(SealExportRefusal.MultipleBodies, Assert.Throws<SealExportException>(() => HeSealRound.Parameters(bodies)).Refusal);
        var wide = With(f, c => c.Bits = 60);
        Assert.Equal(SealExportRefusal.PlainModulusTooLarge, Assert.Throws<SealExportException>(() => HeSealRound.Parameters(wide)).Refusal);
        // One ciphertext short of the round's block count, and bytes that are not SEAL's.
        Assert.Throws<SealFormatException>(() => HeSealRound.Upload(f.Parameters, []));
        Assert.Throws<SealFormatException>(() => HeSealRound.Upload(f.Parameters, [new byte[40]]));
    }

    // The fixture's configuration with one field changed (the fixture's own parameters were built before).
    private static HeRoundParameters With(HeRoundFixture f, Action<HeRoundConfiguration> change)
    {
        var c = f.Configuration;
        (int lanes, int bodies, int bits) = (c.Lanes, c.Bodies, c.Bits);
        change(c);
        try
        {
            return HeRoundParameters.Create(c);
        }
        finally
        {
            (c.Lanes, c.Bodies, c.Bits) = (lanes, bodies, bits);
        }
    }

    // Runs a whole round through HeRoundServer and the parties' state machines; sealClient uploads through `seal`.
    private static HeRoundResult Drive(HeRoundFixture f, Func<HeClientAwaitKeyState, CollectiveKeyAnnouncement, HePartyTransition> seal, uint sealClient)
    {
        var p = f.Parameters;
        var server = new HeRoundServer(p);
        var decryptors = new Dictionary<uint, HePartyState>();
        var clients = p.ClientIds.ToDictionary(id => id, id => (HePartyState)HeClient.Start(p, f.Identity(id), id, f.Inputs[id], f.Random));
        try
        {
            foreach (uint id in p.DecryptorIds)
            {
                var step = HeDecryptor.Start(p, f.Identity(id), id, f.Random).Advertise();
                Send(step.Outgoing!);
                decryptors[id] = step.Next;
            }
            while (true)
            {
                StageClose close = server.Close();
                if (close.End is { } end)
                {
                    return Assert.IsType<HeRoundResult>(MessageCodec.Decode<HeServerMessage>(end.FinalMessage!, int.MaxValue));
                }
                foreach (SentMessage sent in close.Sent)
                {
                    var message = MessageCodec.Decode<HeServerMessage>(sent.Bytes, int.MaxValue);
                    foreach (uint id in sent.Recipients)
                    {
                        Deliver(id, message);
                    }
                }
            }
        }
        finally
        {
            foreach (var d in decryptors.Values) { d.Dispose(); }
            foreach (var c in clients.Values) { c.Dispose(); }
        }

        void Send(HeEnvelope envelope) => Assert.Null(server.Handle(MessageCodec.Encode(envelope)));

        void Deliver(uint id, HeServerMessage message)
        {
            if (message is CollectiveKeyAnnouncement announcement && clients.TryGetValue(id, out var c) && c is HeClientAwaitKeyState awaiting)
            {
                var uploaded = id == sealClient ? seal(awaiting, announcement) : awaiting.Handle(announcement);
                clients[id] = uploaded.Next;
                Send(uploaded.Outgoing!);
                return;
            }
            if (message is AdvertisementList or KeyShareDelivery or DecryptionRequestMessage && decryptors.TryGetValue(id, out var d))
            {
                var step = d.Handle(message);
                Assert.IsNotType<HePartyAbortedState>(step.Next);
                decryptors[id] = step.Next;
                if (step.Outgoing is { } outgoing)
                {
                    Send(outgoing);
                }
            }
        }
    }
}
