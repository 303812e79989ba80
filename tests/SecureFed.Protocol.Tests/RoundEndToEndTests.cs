using SecureFed.Primitives.Vectors;
using SecureFed.Protocol.Client;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Server;
using SecureFed.Testing;

namespace SecureFed.Protocol.Tests;

public class RoundEndToEndTests
{
    private static ulong[] SumOf(ManualRound r, IEnumerable<uint> ids, int bits)
    {
        var sum = new ulong[r.Inputs.First().Value.Length];
        foreach (uint id in ids)
        {
            ModularArithmetic.AddInPlace(sum, r.Inputs[id], bits);
        }
        return sum;
    }

    [Theory]
    [InlineData(32)]
    [InlineData(16)]
    [InlineData(64)]
    public void A_round_without_dropouts_yields_the_exact_sum(int bits)
    {
        using var r = new ManualRound(5, length: 33, bits: bits);
        var replies = r.StartClients();
        for (int stage = 0; stage < 4; stage++)
        {
            replies = r.Step(replies);
        }
        r.SendToServer(replies.Values);
        r.CloseStage();
        var done = Assert.IsType<ServerCompletedState>(r.Server);
        Assert.Equal(SumOf(r, r.Ids, bits), done.Result.Sums[0]);
        Assert.All(r.Clients.Values, c => Assert.IsType<ClientCompletedState>(c));
    }

    [Fact]
    public void Dropouts_before_R2_and_before_R4_still_yield_the_survivors_sum()
    {
        using var r = new ManualRound(7);
        var replies = r.StartClients();
        replies = r.Step(replies);                 // R0 -> directory, R1 shares come back
        replies = r.Step(replies);                 // R1 -> deliveries, R2 masked inputs come back
        replies = r.Step(replies, dropNow: [3]);   // client 3 drops before its masked input arrives
        replies = r.Step(replies);                 // R3 consistency checks
        r.SendToServer(replies.Where(kv => kv.Key != 5).Select(kv => kv.Value)); // client 5 drops before R4
        r.CloseStage();
        var done = Assert.IsType<ServerCompletedState>(r.Server);
        uint[] survivors = [1, 2, 4, 5, 6, 7];
        Assert.Equal(survivors, done.Result.Survivors);
        Assert.Equal([3u], done.Result.Dropped);
        Assert.Equal(SumOf(r, survivors, 32), done.Result.Sums[0]);
        var revealedBy1 = Assert.IsType<ClientCompletedState>(r.Clients[1]).Revealed;
        Assert.Equal(ShareKind.MaskPrivateKey, revealedBy1[3]);
        Assert.Equal(ShareKind.SelfMaskSeed, revealedBy1[2]);
    }

    [Fact]
    public void Too_many_dropouts_abort_cleanly_and_clients_are_told()
    {
        using var r = new ManualRound(5); // t = 3
        var replies = r.StartClients();
        replies = r.Step(replies);
        replies = r.Step(replies);
        r.SendToServer(replies.Where(kv => kv.Key <= 2).Select(kv => kv.Value)); // only 2 masked inputs
        var notices = r.CloseStage();
        var aborted = Assert.IsType<ServerAbortedState>(r.Server);
        Assert.Equal(AbortReason.TooFewClients, aborted.Reason);
        r.Deliver(notices);
        Assert.All(notices.Keys, id => Assert.Equal(AbortReason.ServerAborted, Assert.IsType<ClientAbortedState>(r.Clients[id]).Reason));
    }
}

public class MultiVectorAndWeightTests
{
    [Fact]
    public void Several_vectors_with_their_own_lengths_and_bits_share_one_key_setup()
    {
        Configuration.VectorSpec[] specs = [new() { Length = 7, Bits = 16 }, new() { Length = 300, Bits = 64 }, new() { Length = 1, Bits = 33 }];
        var options = new Simulation.SimulationOptions
        {
            Clients = 9,
            Vectors = specs,
            Dropouts = new Dictionary<uint, ProtocolStage> { [4] = ProtocolStage.MaskedInputCollection },
            Seed = 5,
            Inputs = id => [.. specs.Select((s, j) => Enumerable.Range(0, s.Length).Select(i => ((ulong)id * 0x9E3779B97F4A7C15UL + (ulong)(i * 31 + j)) & ModularArithmetic.Mask(s.Bits)).ToArray())],
        };
        var report = new Simulation.RoundSimulator(options).Run();
        Assert.True(report.SumMatches);
        Assert.Equal(3, report.Result!.Sums.Count);
        Assert.Equal([7, 300, 1], report.Result.Sums.Select(s => s.Length));
    }

    [Fact]
    public void Weighted_updates_give_the_weighted_mean_and_total_weight()
    {
        var wq = Quantization.WeightedQuantizer.Create(clipRange: 4.0, bits: 48, clients: 12, maxWeight: 1000);
        double[][] updates = [.. Enumerable.Range(1, 12).Select(i => Enumerable.Range(0, 5).Select(k => Math.Sin(i * 7 + k)).ToArray())];
        uint[] weights = [.. Enumerable.Range(1, 12).Select(i => (uint)(i * 37 % 1000 + 1))];
        var options = new Simulation.SimulationOptions
        {
            Clients = 12,
            Vectors = wq.Vectors(5),
            Dropouts = new Dictionary<uint, ProtocolStage> { [12] = ProtocolStage.MaskedInputCollection },
            Seed = 9,
            Inputs = id =>
            {
                using var r = new Primitives.Randomness.DeterministicRandomSource(id);
                return wq.Encode(updates[id - 1], weights[id - 1], r);
            },
        };
        var report = new Simulation.RoundSimulator(options).Run();
        Assert.True(report.SumMatches);
        var (mean, total) = wq.Decode(report.Result!.Sums);
        ulong expectedTotal = (ulong)weights.Take(11).Sum(w => (long)w);
        Assert.Equal(expectedTotal, total);
        for (int k = 0; k < 5; k++)
        {
            double expected = Enumerable.Range(0, 11).Sum(i => weights[i] * updates[i][k]) / expectedTotal;
            Assert.Equal(expected, mean[k], 4); // within the quantization step
        }
        using var rng = new Primitives.Randomness.DeterministicRandomSource(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => wq.Encode([0.5], 1001, rng));
        Assert.Throws<ArgumentOutOfRangeException>(() => wq.Encode([0.5], 0, rng));
    }
}

public class SimulatedSecretsTests
{
    private sealed class Capture : Simulation.IWireObserver
    {
        public List<(uint Client, byte[] Bytes)> Sent { get; } = [];

        public void ClientToServer(uint clientId, ReadOnlySpan<byte> bytes) => Sent.Add((clientId, bytes.ToArray()));

        public void ServerToClient(uint clientId, ReadOnlySpan<byte> bytes)
        {
        }
    }

    // The auditor's key file relies on the draw order of a simulated client's randomness: check it on a real run by
    // recomputing each client's advertised public keys and its masked input from the derived secrets.
    [Fact]
    public void Derived_secrets_match_what_simulated_clients_used()
    {
        var capture = new Capture();
        var options = new Simulation.SimulationOptions
        {
            Clients = 4,
            Vectors = [new Configuration.VectorSpec { Length = 5, Bits = 32 }],
            Seed = 77,
            Inputs = id => [[id, 2, 3, 4, 5]],
            Observer = capture,
        };
        var report = new Simulation.RoundSimulator(options).Run();
        Assert.True(report.SumMatches);
        foreach (var (client, bytes) in capture.Sent.Where(s => s.Bytes.Length < 400))
        {
            var e = MessageCodec.Decode<ClientEnvelope>(bytes, 1 << 20);
            if (e.Stage != ProtocolStage.AdvertiseKeys)
            {
                continue;
            }
            var keys = MessageCodec.Decode<AdvertiseKeys>(e.Body, 1024);
            var s = Simulation.SimulatedClientSecrets.Derive(77, client);
            using var id = Primitives.Signatures.IdentityKeyPair.FromSeed(s.IdentitySeed);
            using var mask = Primitives.KeyAgreement.AgreementKeyPair.FromPrivateKey(s.MaskPrivateKey);
            using var enc = Primitives.KeyAgreement.AgreementKeyPair.FromPrivateKey(s.EncryptionPrivateKey);
            Assert.True(id.PublicKey.Verify(Derivation.SessionDerivation.EnvelopeSigningInput(new byte[32], 0, 0, []), id.Sign(Derivation.SessionDerivation.EnvelopeSigningInput(new byte[32], 0, 0, []))));
            Assert.Equal(keys.MaskPublicKey, mask.PublicKey.ToArray());
            Assert.Equal(keys.EncryptionPublicKey, enc.PublicKey.ToArray());
        }
        // The self-mask seeds: the sum minus the unmasked self masks is what the server got; check via the server's
        // own reconstruction equivalence: y_1 - x_1 - PRG(b_1) must be the pairwise masks, which cancel over all 4.
        var masked = capture.Sent.Select(s => MessageCodec.Decode<ClientEnvelope>(s.Bytes, 1 << 20)).Where(e => e.Stage == ProtocolStage.MaskedInputCollection).ToList();
        var total = new ulong[5];
        foreach (var e in masked)
        {
            var y = new ulong[5];
            Assert.True(ModularArithmetic.TryDecode(MessageCodec.Decode<MaskedInput>(e.Body, 1 << 20).Vectors[0], 32, y));
            Primitives.Prg.MaskGenerator.Apply(Simulation.SimulatedClientSecrets.Derive(77, e.SenderId).SelfMaskSeed, 0, y, 32, subtract: true);
            ModularArithmetic.AddInPlace(total, y, 32);
        }
        Assert.Equal(report.Result!.Sums[0], total);
    }
}
