using System.Diagnostics;
using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Multiparty;
using SecureFed.Primitives.Randomness;
using SecureFed.Protocol.Quantization;

namespace SecureFed.Cli.Commands;

// The stages of one simulated HE round; every byte count is the size of what would cross the network.
internal sealed class HeSimulationRun(AggregationPlan plan, FixedPointQuantizer quantizer, int length, int minClients, IRandomSource random, TextWriter progress,
    Func<int, ulong[]>? inputSource = null)
{
    private const long Round = 1;

    // The decrypted sum and the clients in it, after Execute (for the DP evaluation).
    public ulong[]? LastSum { get; private set; }

    public IReadOnlyList<int> LastContributors { get; private set; } = [];

    public HeSimulationReport Execute(HashSet<int> droppedClients, HashSet<int> droppedDecryptors)
    {
        var p = plan.Parameters;
        int clients = plan.Options.Clients;
        int d = plan.Options.Decryptors;
        var report = new HeSimulationReport(plan, length, clients - droppedClients.Count, d - droppedDecryptors.Count);
        long packedPoly = CiphertextCodec.SerializedSize(p, p.KeyLevel, 1, seeded: true) - CiphertextCodec.HeaderSize - 32; // one key-level polynomial
        long packedUploadPoly = (CiphertextCodec.SerializedSize(p, plan.UploadLevel, 1, seeded: false) - CiphertextCodec.HeaderSize) / 2;
        int bodies = plan.Options.Bodies;

        // 1. Collective key generation among the D decryptors; the aggregator only sums public shares.
        var sw = Stopwatch.StartNew();
        var crp = new byte[32];
        random.Fill(crp);
        var parties = Enumerable.Range(1, d).Select(i => new KeyGenerationParty(plan, i, random)).ToArray();
        var publicKey = CollectivePublicKey.Combine(plan, crp, parties.Select(x => x.CreatePublicKeyShare(crp)).ToArray());
        var received = Enumerable.Range(0, d).Select(_ => new List<ShamirShare>(d)).ToArray();
        foreach (var party in parties)
        {
            foreach (var share in party.DealShares())
            {
                received[share.Recipient - 1].Add(share);
            }
            party.Dispose();
            progress.WriteLine($"  key generation: dealt shares of decryptor {party.Party}/{d}");
        }
        var decryptors = received.Select((r, j) => new ThresholdDecryptor(ThresholdKeyShare.Combine(plan, j + 1, r), minClients)).ToArray();
        foreach (var share in received.SelectMany(r => r))
        {
            share.Dispose();
        }
        report.Timings["keygen"] = sw.Elapsed.TotalMilliseconds;
        // Public key shares to the aggregator, Shamir shares between decryptors (each a packed upload-level polynomial per body).
        report.DecryptorBytesSent += bodies * (d * packedPoly + (long)d * (d - 1) * packedUploadPoly);
        report.ServerBytesSent += clients * (bodies * packedPoly + 32L); // the collective public key (b_k packed, a as its seed) to every client

        // 2. Clients quantize, encrypt, commit (to every decryptor) and upload.
        sw.Restart();
        var encryptor = new UploadEncryptor(plan, publicKey);
        var uploads = new Dictionary<int, byte[]>();
        var expected = new ulong[length];
        int bits = plan.Options.PlaintextBits;
        ulong mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        var reals = new double[length];
        var quantized = new ulong[length];
        double encryptMs = 0;
        for (int c = 1; c <= clients; c++)
        {
            if (droppedClients.Contains(c))
            {
                continue;
            }
            if (inputSource is not null)
            {
                inputSource(c).CopyTo(quantized, 0); // e.g. the distributed-DP encoding of client c's update
            }
            else
            {
                for (int i = 0; i < length; i++)
                {
                    reals[i] = (random.NextDouble() * 2 - 1) * quantizer.ClipRange;
                }
                quantizer.Quantize(reals, quantized, random);
            }
            for (int i = 0; i < length; i++)
            {
                expected[i] = (expected[i] + quantized[i]) & mask;
            }
            long t0 = Stopwatch.GetTimestamp();
            byte[] upload = encryptor.Encrypt(quantized, random);
            byte[] commitment = UploadCommitment.Compute(Round, c, upload, p);
            encryptMs += Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            foreach (var dec in decryptors)
            {
                dec.RegisterCommitment(Round, c, commitment);
            }
            uploads[c] = upload;
            report.ClientUploadBytes = upload.Length;
            report.ClientBytesSent += upload.Length + (long)d * UploadCommitment.Size;
            if (c % 10 == 0 || c == clients)
            {
                progress.WriteLine($"  encrypting client {c}/{clients}");
            }
        }
        report.Timings["encrypt_total"] = encryptMs;
        report.Timings["encrypt_per_client"] = uploads.Count == 0 ? 0 : encryptMs / uploads.Count;

        // 3. The aggregator sums the uploads.
        sw.Restart();
        var sum = new UploadAccumulator(plan);
        foreach (var u in uploads.Values)
        {
            sum.Add(u);
        }
        report.Timings["aggregate"] = sw.Elapsed.TotalMilliseconds;

        // 4. Threshold collective decryption by the first T responsive decryptors.
        var responsive = Enumerable.Range(1, d).Where(j => !droppedDecryptors.Contains(j)).ToArray();
        if (responsive.Length < plan.Shares)
        {
            return report.Abort($"only {responsive.Length} of {d} decryptors responded; {plan.Shares} are needed");
        }
        if (uploads.Count == 0)
        {
            return report.Abort("no client uploaded");
        }
        var set = responsive.Take(plan.Shares).ToArray();
        // The aggregator opens only the masks (and a hash of the bodies) of every upload in the sum.
        var openings = uploads.ToDictionary(kv => kv.Key, kv => UploadOpening.FromUpload(kv.Value, p));
        var request = new DecryptionRequest { Round = Round, Participants = set, Openings = openings };
        sw.Restart();
        var shares = new List<DecryptionShare>();
        try
        {
            foreach (int j in set)
            {
                shares.Add(decryptors[j - 1].CreateShare(request, random));
                progress.WriteLine($"  decryption share {shares.Count}/{set.Length}");
            }
        }
        catch (DecryptionRefusedException e)
        {
            return report.Abort($"decryptor refused: {e.Message}");
        }
        finally
        {
            foreach (var dec in decryptors)
            {
                dec.Dispose();
            }
        }
        report.Timings["decryption_shares"] = sw.Elapsed.TotalMilliseconds;
        long openingsTotal = openings.Values.Sum(o => o.Size + 4);
        report.ServerBytesSent += set.Length * (openingsTotal + 8 + 4L * set.Length); // the opened aggregate to each participant
        report.DecryptorBytesSent += set.Length * (long)UploadEncryptor.BlockCount(plan, length) * bodies * packedUploadPoly;
        sw.Restart();
        var values = CollectiveDecryption.CombineValues(plan, sum.Sum, Round, shares, length, uploads.Count);
        report.Timings["combine"] = sw.Elapsed.TotalMilliseconds;
        report.SumMatches = values.AsSpan(0, length).SequenceEqual(expected);
        LastSum = values.AsSpan(0, length).ToArray();
        LastContributors = [.. uploads.Keys.Order()];
        return report;
    }
}
