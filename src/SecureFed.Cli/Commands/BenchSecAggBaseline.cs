using System.Diagnostics;
using System.Security.Cryptography;
using SecureFed.Primitives.KeyAgreement;
using SecureFed.Primitives.Prg;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Primitives.Vectors;

namespace SecureFed.Cli.Commands;

// The machine's own limits, measured in the same run as the protocol: AES-256-CTR keystream (hand-interleaved
// AES-NI and the platform's AES-ECB over counter blocks), one seed's keystream expanded and added into a vector, many
// seeds summed per chunk and then added (MaskSeedSet: the protocol's inner loop), and a plain vector add (memory bound).
internal sealed record BenchSecAggBaseline(
    double KeystreamAesNiGBps,
    double KeystreamPlatformEcbGBps,
    double MaskApplyGBps,
    double MaskSetApplyGBps,
    double VectorAddGBps,
    double KeyAgreementMicroseconds,
    double SignatureVerifyMicroseconds,
    bool AesNi,
    int ClientThreads,
    double MaskSetApplyClientThreadsGBps,
    double KeyAgreementClientThreadsMicroseconds,
    double SignatureVerifyClientThreadsMicroseconds,
    double KeystreamAesNiAllCoresGBps)
{
    // Distinct peers for the all-threads runs, as a client meets them (each verification decompresses another key).
    private const int Peers = 256;

    // `clientThreads`: the cores a client uses; the costs are also measured with that many threads busy at once, since
    // cores that share a package (or, on a VM, a physical core) slow each other down.
    public static BenchSecAggBaseline Measure(double seconds, int clientThreads)
    {
        byte[] seed = RandomNumberGenerator.GetBytes(32);
        var buffer = new byte[1 << 20];
        bool aesNi;
        double aesNiRate;
        using (var ks = new AesCtrKeystream(seed))
        {
            aesNi = ks.UsesAesNi;
            aesNiRate = Rate(seconds, () => ks.Fill(buffer), buffer.Length);
        }
        var counters = new byte[buffer.Length];
        using var aes = Aes.Create();
        aes.Key = seed;
        double ecbRate = Rate(seconds, () => aes.EncryptEcb(counters, buffer, PaddingMode.None), buffer.Length);
        var v = new ulong[100_000];
        double applyRate = Rate(seconds, () => MaskGenerator.Apply(seed, 0, v, 32, subtract: false), v.Length * 4L);
        // What the protocol runs: 64 seeds summed chunk by chunk, then added into the vector (MaskSeedSet), one core.
        using var set = new MaskSeedSet(64);
        for (int i = 0; i < 64; i++)
        {
            seed[0] = (byte)i;
            set.Add(seed, subtract: (i & 1) == 1);
        }
        double setRate = Rate(seconds, () => set.ApplyTo(0, v, 32, 1), 64L * v.Length * 4);
        var a = new ulong[1 << 20];
        var b = new ulong[1 << 20];
        double addRate = Rate(seconds, () => ModularArithmetic.AddInPlace(a, b, 32), a.Length * 8L);
        // The per-peer public-key costs a client pays besides the keystream: X25519 + HKDF (key agreement) and Ed25519
        // verification of a peer's signed message, one core each.
        using var mine = AgreementKeyPair.Generate(SystemRandomSource.Instance);
        using var theirs = AgreementKeyPair.Generate(SystemRandomSource.Instance);
        var derived = new byte[32];
        double agreement = 1e6 / Rate(seconds, () => mine.TryDeriveSharedKey(theirs.PublicKey, derived, derived, derived), 1_000_000_000);
        using var identity = IdentityKeyPair.Generate(SystemRandomSource.Instance);
        byte[] message = new byte[200];
        byte[] signature = identity.Sign(message);
        double verify = 1e6 / Rate(seconds, () => identity.PublicKey.Verify(message, signature), 1_000_000_000);

        // The same with `clientThreads` threads busy: wall time per operation, i.e. what a client using that many cores
        // pays per peer (throughput, not latency).
        double setRateThreads = Rate(seconds, () => set.ApplyTo(0, v, 32, clientThreads), 64L * v.Length * 4);
        var peers = Enumerable.Range(0, Peers).Select(_ => AgreementKeyPair.Generate(SystemRandomSource.Instance)).ToArray();
        var signers = Enumerable.Range(0, Peers).Select(_ => IdentityKeyPair.Generate(SystemRandomSource.Instance)).ToArray();
        var messages = Enumerable.Range(0, Peers).Select(i => RandomNumberGenerator.GetBytes(200)).ToArray();
        var signatures = Enumerable.Range(0, Peers).Select(i => signers[i].Sign(messages[i])).ToArray();
        var po = new ParallelOptions { MaxDegreeOfParallelism = clientThreads };
        double agreementThreads = 1e6 / Rate(seconds, () => Parallel.For(0, Peers, po, i =>
        {
            Span<byte> k = stackalloc byte[32];
            mine.TryDeriveSharedKey(peers[i].PublicKey, derived, derived, k);
        }), Peers * 1_000_000_000L);
        double verifyThreads = 1e6 / Rate(seconds, () => Parallel.For(0, Peers, po, i => signers[i].PublicKey.Verify(messages[i], signatures[i])), Peers * 1_000_000_000L);
        // The keystream with every core busy, each core its own stream: the rate the server's parallel unmasking can at
        // best reach. On a VM two cores need not give twice one core's AES throughput (they may share a physical core),
        // so this is measured rather than assumed to be cores x the one-core rate.
        int cores = Environment.ProcessorCount;
        var streams = Enumerable.Range(0, cores).Select(i => new AesCtrKeystream(RandomNumberGenerator.GetBytes(32))).ToArray();
        var buffers = Enumerable.Range(0, cores).Select(_ => new byte[1 << 20]).ToArray();
        double aesNiAllCoresRate = Rate(seconds, () => Parallel.For(0, cores, new ParallelOptions { MaxDegreeOfParallelism = cores },
            i => streams[i].Fill(buffers[i])), (long)cores << 20);
        foreach (AesCtrKeystream s in streams)
        {
            s.Dispose();
        }
        foreach (AgreementKeyPair p in peers)
        {
            p.Dispose();
        }
        foreach (IdentityKeyPair s in signers)
        {
            s.Dispose();
        }
        return new BenchSecAggBaseline(aesNiRate, ecbRate, applyRate, setRate, addRate, agreement, verify, aesNi,
            clientThreads, setRateThreads, agreementThreads, verifyThreads, aesNiAllCoresRate);
    }

    // Best-of-5 throughput in GB/s (1e9 bytes), each trial about seconds/5 long.
    private static double Rate(double seconds, Action op, long bytesPerOp)
    {
        op();
        double best = 0;
        for (int trial = 0; trial < 5; trial++)
        {
            long ops = 0;
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed.TotalSeconds < seconds / 5)
            {
                op();
                ops++;
            }
            best = Math.Max(best, ops * bytesPerOp / sw.Elapsed.TotalSeconds / 1e9);
        }
        return best;
    }
}
