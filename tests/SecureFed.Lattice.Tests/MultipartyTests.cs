using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Multiparty;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Lattice.Tests;

public sealed class MultipartyTests
{
    private const int Clients = 6;
    private const int Decryptors = 5;
    private const int Threshold = 3;
    private const int Length = 5000; // two blocks at N = 4096

    private sealed class Setup : IDisposable
    {
        public required AggregationPlan Plan { get; init; }
        public required PublicKey Key { get; init; }
        public required ThresholdDecryptor[] Decryptors { get; init; }
        public required DeterministicRandomSource Random { get; init; }

        public void Dispose()
        {
            foreach (var d in Decryptors)
            {
                d.Dispose();
            }
            Random.Dispose();
        }
    }

    private static Setup Build(long seed, int minimumClients = 3)
    {
        var plan = AggregationPlan.Create(new AggregationOptions
        {
            // One value per coefficient, one body: the noise test reads coefficients of block 0 directly.
            Clients = Clients, InputRange = (1UL << 32) / Clients, Bits = 32, Lanes = 1, Bodies = 1, Decryptors = Decryptors, Threshold = Threshold,
        });
        var rng = new DeterministicRandomSource(seed);
        var crp = new byte[32];
        rng.Fill(crp);
        var parties = Enumerable.Range(1, Decryptors).Select(i => new KeyGenerationParty(plan, i, rng)).ToArray();
        var key = CollectivePublicKey.Combine(plan, crp, parties.Select(p => p.CreatePublicKeyShare(crp)).ToArray());
        var dealt = parties.Select(p => p.DealShares()).ToArray();
        var decryptors = Enumerable.Range(1, Decryptors).Select(j =>
            new ThresholdDecryptor(ThresholdKeyShare.Combine(plan, j, dealt.Select(d => d[j - 1]).ToArray()), minimumClients)).ToArray();
        foreach (var p in parties)
        {
            p.Dispose();
        }
        return new Setup { Plan = plan, Key = key, Decryptors = decryptors, Random = rng };
    }

    private static (Dictionary<int, byte[]> Uploads, ulong[] Expected) Encrypt(Setup s, long round, int clients)
    {
        var enc = new UploadEncryptor(s.Plan, s.Key);
        var uploads = new Dictionary<int, byte[]>();
        var expected = new ulong[Length];
        for (int c = 1; c <= clients; c++)
        {
            var v = new ulong[Length];
            for (int i = 0; i < Length; i++)
            {
                v[i] = s.Random.NextBelow(s.Plan.Options.InputRange);
                expected[i] += v[i];
            }
            uploads[c] = enc.Encrypt(v, s.Random);
            foreach (var d in s.Decryptors)
            {
                d.RegisterCommitment(round, c, UploadCommitment.Compute(round, c, uploads[c], s.Plan.Parameters));
            }
        }
        return (uploads, expected);
    }

    [Fact]
    public void EncryptIntoAReusedBufferWritesTheSameBytesAsAFreshUpload()
    {
        using var s = Build(31);
        var enc = new UploadEncryptor(s.Plan, s.Key);
        var v = new ulong[Length];
        for (int i = 0; i < Length; i++)
        {
            v[i] = s.Random.NextBelow(s.Plan.Options.InputRange);
        }
        byte[] fresh;
        using (var r1 = new DeterministicRandomSource(5))
        {
            fresh = enc.Encrypt(v, r1);
        }
        // A buffer left dirty by an earlier upload: every byte must be overwritten.
        var reused = new byte[UploadEncryptor.UploadSize(s.Plan, Length)];
        reused.AsSpan().Fill(0xA5);
        using (var r2 = new DeterministicRandomSource(5))
        {
            enc.Encrypt(v, r2, reused);
        }
        Assert.Equal(fresh, reused);
        Assert.Throws<ArgumentException>(() => enc.Encrypt(v, s.Random, new byte[reused.Length - 1]));
        Assert.Throws<ArgumentException>(() => enc.Encrypt(v, s.Random, new byte[reused.Length + 1]));
    }

    private static Dictionary<int, UploadOpening> Open(AggregationPlan plan, Dictionary<int, byte[]> uploads) =>
        uploads.ToDictionary(kv => kv.Key, kv => UploadOpening.FromUpload(kv.Value, plan.Parameters));

    private static IReadOnlyList<Ciphertext> Sum(Setup s, IEnumerable<byte[]> uploads)
    {
        var acc = new UploadAccumulator(s.Plan);
        foreach (var u in uploads)
        {
            acc.Add(u);
        }
        return acc.Sum;
    }

    [Fact]
    public void ThresholdDecryptionSucceedsWithAnyThresholdSubsetAfterDropouts()
    {
        using var s = Build(1);
        Assert.True(s.Plan.NoiseBudgetBits >= 1);
        foreach (var (round, set) in new[] { (1L, new[] { 1, 2, 3 }), (2L, new[] { 2, 4, 5 }), (3L, new[] { 5, 1, 4 }) })
        {
            var (uploads, expected) = Encrypt(s, round, Clients);
            var request = new DecryptionRequest { Round = round, Participants = set, Openings = Open(s.Plan, uploads) };
            var shares = set.Select(j => s.Decryptors[j - 1].CreateShare(request, s.Random)).ToArray();
            var result = CollectiveDecryption.Combine(s.Plan, Sum(s, uploads.Values), round, shares);
            Assert.Equal(expected, result.Take(Length));
            Assert.All(result.Skip(Length), v => Assert.Equal(0UL, v));
        }
    }

    [Fact]
    public void ClientDropoutsLeaveTheSurvivorsSumAndFloodingNoiseStaysInBudget()
    {
        using var s = Build(2);
        var enc = new UploadEncryptor(s.Plan, s.Key);
        var uploads = new Dictionary<int, byte[]>();
        var expected = new ulong[Length];
        foreach (int c in new[] { 1, 3, 5, 6 }) // clients 2 and 4 never upload
        {
            var v = Enumerable.Range(0, Length).Select(_ => s.Random.NextBelow(s.Plan.Options.InputRange)).ToArray();
            for (int i = 0; i < Length; i++)
            {
                expected[i] += v[i];
            }
            uploads[c] = enc.Encrypt(v, s.Random);
            foreach (var d in s.Decryptors)
            {
                d.RegisterCommitment(7, c, UploadCommitment.Compute(7, c, uploads[c], s.Plan.Parameters));
            }
        }
        int[] set = [2, 3, 5]; // decryptors 1 and 4 dropped out
        var request = new DecryptionRequest { Round = 7, Participants = set, Openings = Open(s.Plan, uploads) };
        var shares = set.Select(j => s.Decryptors[j - 1].CreateShare(request, s.Random)).ToArray();
        var sum = Sum(s, uploads.Values);
        Assert.Equal(expected, CollectiveDecryption.Combine(s.Plan, sum, 7, shares).Take(Length));

        // Empirical noise of c0 + sum of shares: dominated by the flooding (3 shares of up to 2^FloodingBoundBits),
        // and inside the budget the plan computed.
        var p = s.Plan.Parameters;
        int n = p.Degree;
        var x = (ulong[])sum[0].C0.Clone();
        foreach (var sh in shares)
        {
            for (int i = 0; i < s.Plan.UploadLevel; i++)
            {
                Ring.PolyArith.AddInPlace(x.AsSpan(i * n, n), sh.Blocks[0].AsSpan(i * n, n), p.Primes[i]);
            }
        }
        double measured = NoiseMeter.MaxNoiseLog2(p, x, s.Plan.UploadLevel, expected.AsSpan(0, n));
        double limit = s.Plan.UploadModulusBits - p.PlaintextBits - 1;
        Assert.True(measured < limit - s.Plan.NoiseBudgetBits + 0.01, $"noise 2^{measured:F1} exceeds the model");
        Assert.True(measured > s.Plan.FloodingBoundBits - 2, $"noise 2^{measured:F1} shows no flooding (bound 2^{s.Plan.FloodingBoundBits:F1})");
    }

    [Fact]
    public void DecryptorsRefuseNonAggregatesReplaysAndRepeats()
    {
        using var s = Build(3, minimumClients: 3);
        var (uploads, _) = Encrypt(s, 10, Clients);
        var d1 = s.Decryptors[0];
        int[] set = [1, 2, 3];

        // A single client's ciphertext is not an aggregate.
        var openings = Open(s.Plan, uploads);
        Assert.True(openings[1].Size * 2 < uploads[1].Length + 100); // a decryptor downloads only the masks
        var single = new DecryptionRequest { Round = 10, Participants = set, Openings = openings.Take(1).ToDictionary() };
        Assert.Throws<DecryptionRefusedException>(() => d1.CreateShare(single, s.Random));
        // Openings that do not match the commitments (client 1's upload claimed as client 2's).
        var swapped = openings.ToDictionary(kv => kv.Key, kv => kv.Key == 2 ? openings[1] : kv.Value);
        Assert.Throws<DecryptionRefusedException>(() => d1.CreateShare(new DecryptionRequest { Round = 10, Participants = set, Openings = swapped }, s.Random));
        // Replay of this round's uploads in another round.
        Assert.Throws<DecryptionRefusedException>(() => d1.CreateShare(new DecryptionRequest { Round = 11, Participants = set, Openings = openings }, s.Random));
        // A participant set without this decryptor, or of the wrong size.
        Assert.Throws<DecryptionRefusedException>(() => d1.CreateShare(new DecryptionRequest { Round = 10, Participants = [2, 3, 4], Openings = openings }, s.Random));
        Assert.Throws<DecryptionRefusedException>(() => d1.CreateShare(new DecryptionRequest { Round = 10, Participants = [1, 2], Openings = openings }, s.Random));
        // Tampered upload bytes (commitment mismatch).
        var tampered = openings.ToDictionary(kv => kv.Key, kv => kv.Value);
        var masks = tampered[3].Masks.ToArray();
        masks[100] ^= 1;
        tampered[3] = new UploadOpening(masks, tampered[3].BodiesHash.ToArray());
        var otherBodies = openings.ToDictionary(kv => kv.Key, kv => kv.Key == 4 ? new UploadOpening(kv.Value.Masks.ToArray(), new byte[32]) : kv.Value);
        Assert.Throws<DecryptionRefusedException>(() => d1.CreateShare(new DecryptionRequest { Round = 10, Participants = set, Openings = otherBodies }, s.Random));
        Assert.Throws<DecryptionRefusedException>(() => d1.CreateShare(new DecryptionRequest { Round = 10, Participants = set, Openings = tampered }, s.Random));

        // The genuine aggregate is answered once, then never again for this round.
        var ok = new DecryptionRequest { Round = 10, Participants = set, Openings = openings };
        d1.CreateShare(ok, s.Random);
        Assert.Throws<DecryptionRefusedException>(() => d1.CreateShare(ok, s.Random));
        Assert.Throws<DecryptionRefusedException>(() => d1.CreateShare(ok with { Openings = openings.Take(4).ToDictionary() }, s.Random));
    }

    [Fact]
    public void RetryWithAnotherSetDecryptsTheSameAggregateOnlyUpToTheLimit()
    {
        using var s = Build(5, minimumClients: 3);
        Assert.Equal(2, s.Plan.Options.MaxDecryptionAttempts);
        var (uploads, expected) = Encrypt(s, 30, Clients);
        var openings = Open(s.Plan, uploads);
        var d1 = s.Decryptors[0];
        var first = new DecryptionRequest { Round = 30, Participants = [1, 2, 3], Openings = openings };
        var firstShare = d1.CreateShare(first, s.Random);
        // The same set again is refused; a different aggregate (a subset) under a new set is refused.
        Assert.Throws<DecryptionRefusedException>(() => d1.CreateShare(first, s.Random));
        var subset = openings.Where(kv => kv.Key != 6).ToDictionary();
        Assert.Throws<DecryptionRefusedException>(() => d1.CreateShare(first with { Participants = [1, 4, 5], Openings = subset }, s.Random));
        // The identical aggregate under a new set succeeds, and the retried round decrypts correctly.
        var retry = first with { Participants = [1, 4, 5] };
        var shares = new[] { 1, 4, 5 }.Select(j => s.Decryptors[j - 1].CreateShare(retry, s.Random)).ToArray();
        var result = CollectiveDecryption.Combine(s.Plan, Sum(s, uploads.Values), 30, shares);
        Assert.Equal(expected, result.Take(Length));
        Assert.Equal(new[] { 1, 2, 3 }, firstShare.Participants);
        // Beyond the limit (2), even a fresh set for the identical aggregate is refused.
        var third = Assert.Throws<DecryptionRefusedException>(() => d1.CreateShare(first with { Participants = [1, 2, 4] }, s.Random));
        Assert.Contains("limit", third.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MaxDecryptionAttemptsIsValidated()
    {
        var options = new AggregationOptions { Clients = 4, InputRange = 1000, Decryptors = 3, Threshold = 2 };
        var e = Assert.Throws<HeParameterException>(() => AggregationPlan.Create(options with { MaxDecryptionAttempts = 0 }));
        Assert.Contains("MaxDecryptionAttempts", e.Message, StringComparison.Ordinal);
        Assert.Throws<HeParameterException>(() => AggregationPlan.Create(options with { MaxDecryptionAttempts = 9 }));
    }

    [Fact]
    public void SingleAttemptPlanRefusesAnyRetry()
    {
        var plan = AggregationPlan.Create(new AggregationOptions
        {
            Clients = 3, InputRange = 1000, Bits = 32, Decryptors = 3, Threshold = 2, MaxDecryptionAttempts = 1,
        });
        using var rng = new DeterministicRandomSource(6);
        var crp = new byte[32];
        rng.Fill(crp);
        var parties = Enumerable.Range(1, 3).Select(i => new KeyGenerationParty(plan, i, rng)).ToArray();
        var key = CollectivePublicKey.Combine(plan, crp, parties.Select(p => p.CreatePublicKeyShare(crp)).ToArray());
        var dealt = parties.Select(p => p.DealShares()).ToArray();
        using var d1 = new ThresholdDecryptor(ThresholdKeyShare.Combine(plan, 1, dealt.Select(d => d[0]).ToArray()), 2);
        var enc = new UploadEncryptor(plan, key);
        var openings = new Dictionary<int, UploadOpening>();
        for (int c = 1; c <= 2; c++)
        {
            byte[] upload = enc.Encrypt([(ulong)c], rng);
            d1.RegisterCommitment(40, c, UploadCommitment.Compute(40, c, upload, plan.Parameters));
            openings[c] = UploadOpening.FromUpload(upload, plan.Parameters);
        }
        var request = new DecryptionRequest { Round = 40, Participants = [1, 2], Openings = openings };
        d1.CreateShare(request, rng);
        Assert.Throws<DecryptionRefusedException>(() => d1.CreateShare(request with { Participants = [1, 3] }, rng));
        foreach (var p in parties)
        {
            p.Dispose();
        }
    }

    [Fact]
    public void CombiningRejectsTooFewOrMismatchedShares()
    {
        using var s = Build(4);
        var (uploads, _) = Encrypt(s, 20, Clients);
        var request = new DecryptionRequest { Round = 20, Participants = [1, 2, 3], Openings = Open(s.Plan, uploads) };
        var shares = new[] { 1, 2, 3 }.Select(j => s.Decryptors[j - 1].CreateShare(request, s.Random)).ToArray();
        var sum = Sum(s, uploads.Values);
        Assert.Throws<ArgumentException>(() => CollectiveDecryption.Combine(s.Plan, sum, 20, shares.Take(2).ToArray()));
        Assert.Throws<ArgumentException>(() => CollectiveDecryption.Combine(s.Plan, sum, 21, shares));
        Assert.Throws<ArgumentException>(() => CollectiveDecryption.Combine(s.Plan, sum, 20, [shares[0], shares[0], shares[1]]));
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(2, 3)]
    [InlineData(1, 4)]
    public void LanesAndSharedMaskBodiesSumSignedInputsExactlyModTwoToTheBits(int lanes, int bodies)
    {
        const int clients = 4;
        const ulong r = ((1UL << 32) - 1) / (2 * clients); // the masking path's quantizer bound
        var plan = AggregationPlan.Create(new AggregationOptions
        {
            Clients = clients, InputRange = 2 * r + 1, InputOffset = r, Bits = 32, Lanes = lanes, Bodies = bodies, Decryptors = 3, Threshold = 2,
        });
        Assert.Equal(32 * lanes, plan.Parameters.PlaintextBits);
        Assert.Equal(lanes * bodies * plan.Parameters.Degree, plan.ValuesPerCiphertext);
        using var rng = new DeterministicRandomSource(77);
        var crp = new byte[32];
        var parties = Enumerable.Range(1, 3).Select(i => new KeyGenerationParty(plan, i, rng)).ToArray();
        var pk = CollectivePublicKey.Combine(plan, crp, parties.Select(x => x.CreatePublicKeyShare(crp)).ToArray());
        var dealt = parties.Select(x => x.DealShares()).ToArray();
        var decryptors = Enumerable.Range(1, 3).Select(j => new ThresholdDecryptor(ThresholdKeyShare.Combine(plan, j, dealt.Select(d => d[j - 1]).ToArray()), 3)).ToArray();
        int length = plan.ValuesPerCiphertext + 100; // two blocks, the second mostly padding
        var enc = new UploadEncryptor(plan, pk);
        var uploads = new Dictionary<int, byte[]>();
        var expected = new ulong[length];
        for (int c = 1; c <= clients; c++)
        {
            var v = new ulong[length];
            for (int i = 0; i < length; i++)
            {
                long x = (long)rng.NextBelow(2 * r + 1) - (long)r; // in [-r, r]
                v[i] = (ulong)x & 0xFFFF_FFFFUL;
                expected[i] = (expected[i] + v[i]) & 0xFFFF_FFFFUL;
            }
            v[0] = unchecked((ulong)(-(long)r)) & 0xFFFF_FFFFUL; // extremes
            v[1] = r;
            expected[0] = unchecked((ulong)(-(long)r * clients)) & 0xFFFF_FFFFUL;
            expected[1] = r * clients;
            uploads[c] = enc.Encrypt(v, rng);
            foreach (var d in decryptors)
            {
                d.RegisterCommitment(1, c, UploadCommitment.Compute(1, c, uploads[c], plan.Parameters));
            }
        }
        Assert.Equal(2, UploadEncryptor.BlockCount(plan, length));
        var acc = new UploadAccumulator(plan);
        foreach (var u in uploads.Values)
        {
            acc.Add(u);
        }
        var request = new DecryptionRequest { Round = 1, Participants = [2, 3], Openings = Open(plan, uploads) };
        var shares = new[] { 2, 3 }.Select(j => decryptors[j - 1].CreateShare(request, rng)).ToArray();
        Assert.Equal(expected, CollectiveDecryption.CombineValues(plan, acc.Sum, 1, shares, length, clients));
        if (lanes > 1)
        {
            Assert.Throws<ArgumentException>(() => enc.Encrypt([r + 1], rng)); // outside [-r, r]
        }
        // (B + 1) polynomials carry B*N*L values.
        double perValue = (double)UploadEncryptor.UploadSize(plan, plan.ValuesPerCiphertext * 4) * 8 / (plan.ValuesPerCiphertext * 4);
        Assert.InRange(perValue, (bodies + 1.0) / (bodies * lanes) * plan.UploadModulusBits, (bodies + 1.0) / (bodies * lanes) * (plan.UploadModulusBits + 2) + 1);
        foreach (var d in decryptors)
        {
            d.Dispose();
        }
        Assert.Contains("Lanes", Assert.Throws<HeParameterException>(() => AggregationPlan.Create(
            new AggregationOptions { Clients = 2, InputRange = 10, Bits = 33, Lanes = 2 })).Message);
    }

    [Fact]
    public void OpeningsRejectMalformedUploadsAndUnpackingChecksLengths()
    {
        var plan = AggregationPlan.Create(new AggregationOptions { Clients = 2, InputRange = 100, Decryptors = 1 });
        using var rng = new DeterministicRandomSource(31);
        using var sk = SecretKey.Generate(plan.Parameters, rng);
        var seeded = CiphertextCodec.Serialize(new BfvSymmetricEncryptor(sk).Encrypt([1, 2, 3], rng));
        Assert.Throws<HeFormatException>(() => UploadOpening.FromUpload(seeded, plan.Parameters));
        var upload = CiphertextCodec.Serialize(new BfvEncryptor(PublicKey.Generate(sk, rng)).Encrypt([1, 2, 3], rng, plan.UploadLevel));
        Assert.Throws<HeFormatException>(() => UploadOpening.FromUpload(upload.AsSpan(0, upload.Length - 1), plan.Parameters));
        var opening = UploadOpening.FromUpload(upload, plan.Parameters);
        Assert.Equal(CiphertextCodec.HeaderSize + (upload.Length - CiphertextCodec.HeaderSize) / 2, opening.Masks.Length);
        Assert.Throws<ArgumentException>(() => new UploadOpening(opening.Masks.ToArray(), new byte[31]));
        Assert.Throws<ArgumentException>(() => LanePacking.Unpack(plan, new ulong[10], plan.ValuesPerCiphertext, 2));
    }

    [Fact]
    public void KeyGenerationChecksItsInputs()
    {
        var plan = AggregationPlan.Create(new AggregationOptions { Clients = 2, InputRange = 100, Decryptors = 3, Threshold = 2 });
        using var rng = new DeterministicRandomSource(5);
        Assert.Throws<ArgumentOutOfRangeException>(() => new KeyGenerationParty(plan, 4, rng));
        var crp = new byte[32];
        var parties = Enumerable.Range(1, 3).Select(i => new KeyGenerationParty(plan, i, rng)).ToArray();
        var shares = parties.Select(p => p.CreatePublicKeyShare(crp)).ToArray();
        Assert.Throws<ArgumentException>(() => CollectivePublicKey.Combine(plan, crp, shares.Take(2).ToArray()));
        Assert.Throws<ArgumentException>(() => CollectivePublicKey.Combine(plan, crp, [shares[0], shares[0], shares[1]]));
        var dealt = parties.Select(p => p.DealShares()).ToArray();
        Assert.Throws<InvalidOperationException>(() => parties[0].DealShares());
        Assert.Throws<ArgumentException>(() => ThresholdKeyShare.Combine(plan, 1, [dealt[0][0], dealt[1][0]]));
        Assert.Throws<ArgumentException>(() => ThresholdKeyShare.Combine(plan, 1, [dealt[0][0], dealt[1][1], dealt[2][0]]));
        using var ok = ThresholdKeyShare.Combine(plan, 2, dealt.Select(d => d[1]).ToArray());
        Assert.DoesNotContain("0x", ok.ToString());
    }
    [Fact]
    public void SharesRebuiltFromTheirPublicPolynomialsCombineAndWrongShapesAreRefused()
    {
        // What a wire format does: read the polynomials out, build the share again from them.
        using var s = Build(6);
        var (uploads, expected) = Encrypt(s, 30, Clients);
        var request = new DecryptionRequest { Round = 30, Participants = [2, 4, 5], Openings = Open(s.Plan, uploads) };
        var rebuilt = new[] { 2, 4, 5 }.Select(j => s.Decryptors[j - 1].CreateShare(request, s.Random))
            .Select(d => new DecryptionShare(d.Party, d.Round, d.Participants, [.. d.Polynomials.Select(x => x.ToArray())])).ToArray();
        var sum = Sum(s, uploads.Values);
        Assert.Equal(expected, CollectiveDecryption.Combine(s.Plan, sum, 30, rebuilt).Take(Length));
        var shortened = new DecryptionShare(rebuilt[0].Party, 30, rebuilt[0].Participants, [.. rebuilt[0].Polynomials.Select(x => x[1..].ToArray())]);
        Assert.Throws<ArgumentException>(() => CollectiveDecryption.Combine(s.Plan, sum, 30, [shortened, rebuilt[1], rebuilt[2]]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DecryptionShare(0, 30, [1], []));

        var plan = AggregationPlan.Create(new AggregationOptions { Clients = 2, InputRange = 100, Decryptors = 2, Threshold = 2 });
        using var rng = new DeterministicRandomSource(7);
        var crp = new byte[32];
        var parties = Enumerable.Range(1, 2).Select(i => new KeyGenerationParty(plan, i, rng)).ToArray();
        var keyShares = parties.Select(p => p.CreatePublicKeyShare(crp)).ToArray();
        var copies = keyShares.Select(k => new PublicKeyShare(k.Party, [.. k.Components.Select(c => c.ToArray())])).ToArray();
        _ = CollectivePublicKey.Combine(plan, crp, copies);
        var truncated = new PublicKeyShare(1, [.. copies[0].Components.Select(c => c[..^1].ToArray())]);
        Assert.Throws<ArgumentException>(() => CollectivePublicKey.Combine(plan, crp, [truncated, copies[1]]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PublicKeyShare(0, []));

        var dealt = parties.Select(p => p.DealShares()).ToArray();
        var received = dealt.Select(d => new ShamirShare(d[0].Dealer, d[0].Recipient, d[0].Threshold, d[0].SecretValues.ToArray())).ToArray();
        using (ThresholdKeyShare.Combine(plan, 1, received))
        {
        }
        var wrongLength = new ShamirShare(1, 1, received[0].Threshold, received[0].SecretValues[1..].ToArray());
        Assert.Throws<ArgumentException>(() => ThresholdKeyShare.Combine(plan, 1, [wrongLength, received[1]]));
        received[0].Dispose();
        Assert.True(received[0].SecretValues.Span.IndexOfAnyExcept(0UL) < 0, "a disposed share reads as zeros");
        foreach (var p in parties)
        {
            p.Dispose();
        }
    }
}
