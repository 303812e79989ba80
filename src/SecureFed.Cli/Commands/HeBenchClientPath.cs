using System.Diagnostics;
using System.Text.Json.Nodes;
using SecureFed.HeProtocol;
using SecureFed.HeProtocol.Client;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Decryptor;
using SecureFed.HeProtocol.Messages;
using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Multiparty;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;

namespace SecureFed.Cli.Commands;

// The real client path (issue 17, part 2): one device runs the HE client state machine (HeClient.Start, then Handle
// of the signed key announcement: key verification, encryption, commitment, signature, envelope) for several rounds
// of the default round (C clients and decryptors, V values, automatic layout), each round with its own round id and
// so its own collective key. Reported per ciphertext against the bare encryption measured in the same run, and as
// bytes allocated on the thread per round (exact for one thread, unlike a time on a loaded machine).
internal static class HeBenchClientPath
{
    private const int Bits = 32;

    public static JsonObject Measure(int clients, int length, int reps, int rounds, TextWriter error)
    {
        var identities = Enumerable.Range(1, clients).Select(i => IdentityKeyPair.FromSeed(Enumerable.Repeat((byte)i, 32).ToArray())).ToArray();
        try
        {
            using var rng = new DeterministicRandomSource(17);
            const uint Device = 1;
            var perRound = new JsonArray();
            HeRoundParameters? last = null;
            CollectiveKeyAnnouncement? lastAnnouncement = null;
            ulong[] values = new ulong[length];
            double laterMs = 0, laterCpuMs = 0;
            long laterAllocated = 0;
            for (int r = 0; r < rounds; r++)
            {
                var p = Round(clients, length, identities, r);
                var announcement = Announce(p, identities, rng);
                for (int i = 0; i < length; i++)
                {
                    values[i] = rng.NextBelow(p.Configuration.InputRange);
                }
                long allocated0 = GC.GetAllocatedBytesForCurrentThread();
                double cpu0 = HeBenchPipeline.CpuMs();
                long t0 = Stopwatch.GetTimestamp();
                var start = HeClient.Start(p, identities[Device - 1], Device, values, rng);
                var step = start.Handle(announcement);
                double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                double cpuMs = HeBenchPipeline.CpuMs() - cpu0;
                long allocated = GC.GetAllocatedBytesForCurrentThread() - allocated0;
                if (step.Next is HePartyAbortedState aborted || step.Outgoing is null)
                {
                    throw new InvalidOperationException($"the client refused an honest announcement: {step.Next}");
                }
                step.Next.Dispose();
                int blocks = p.BlockCount;
                perRound.Add(new JsonObject
                {
                    ["ms_per_ciphertext"] = ms / blocks,
                    ["cpu_ms_per_ciphertext"] = cpuMs / blocks,
                    ["allocated_bytes"] = allocated,
                });
                if (r > 0)
                {
                    laterMs += ms / blocks;
                    laterCpuMs += cpuMs / blocks;
                    laterAllocated += allocated;
                }
                last = p;
                lastAnnouncement = announcement;
                error.WriteLine($"  client path: round {r + 1}/{rounds}");
            }
            int later = rounds - 1;
            var plan = last!.Plan;
            var key = HeClient.VerifyKey(last, lastAnnouncement!);
            var (microMs, microCpuMs) = HeBenchPipeline.EncryptMicrobenchmark(plan, key, values, reps, rng);
            double ms1 = laterMs / later, cpu1 = laterCpuMs / later;
            return new JsonObject
            {
                ["clients"] = clients,
                ["values"] = length,
                ["lanes"] = plan.Options.Lanes,
                ["bodies"] = plan.Options.Bodies,
                ["degree"] = plan.Parameters.Degree,
                ["ciphertexts_per_round"] = last.BlockCount,
                ["upload_bytes"] = last.UploadSize,
                ["rounds"] = rounds,
                ["per_round"] = perRound,
                ["later_rounds_ms_per_ciphertext"] = ms1,
                ["later_rounds_cpu_ms_per_ciphertext"] = cpu1,
                ["encrypt_microbenchmark_ms"] = microMs,
                ["encrypt_microbenchmark_cpu_ms"] = microCpuMs,
                ["later_rounds_vs_microbenchmark"] = Math.Round(ms1 / microMs, 3),
                ["later_rounds_vs_microbenchmark_cpu"] = Math.Round(cpu1 / microCpuMs, 3),
                ["later_rounds_allocated_bytes"] = laterAllocated / later,
                ["later_rounds_allocated_vs_upload"] = Math.Round((double)laterAllocated / later / last.UploadSize, 3),
                ["allocation_breakdown"] = Breakdown(last, lastAnnouncement!, identities[Device - 1], Device, values, rng),
            };
        }
        finally
        {
            foreach (var identity in identities)
            {
                identity.Dispose();
            }
        }
    }

    // Bytes allocated by each public step the client path takes, on the last round: where a round's garbage comes from.
    private static JsonObject Breakdown(HeRoundParameters p, CollectiveKeyAnnouncement announcement, IdentityKeyPair identity, uint device, ulong[] values, IRandomSource rng)
    {
        var result = new JsonObject { ["input_copy"] = (long)values.Length * sizeof(ulong) };
        PublicKey key = Allocated(result, "verify_key", () => HeClient.VerifyKey(p, announcement));
        UploadEncryptor encryptor = Allocated(result, "prepare_encryptor", () => new UploadEncryptor(p.Plan, key));
        byte[] upload = Allocated(result, "encrypt", () => encryptor.Encrypt(values, rng));
        byte[] commitment = Allocated(result, "commitment", () => UploadCommitment.Compute(p.LatticeRound, (int)device, upload, p.Plan.Parameters));
        Allocated(result, "sign_and_encode", () => HeEnvelopeSigning.Seal(p, identity, device, HeStage.Upload, MessageCodec.Encode(new ClientUpload
        {
            Upload = upload,
            Commitment = commitment,
            CommitmentSignature = identity.Sign(HeDerivation.CommitmentSigningInput(p.ConfigurationHash.Span, device, commitment)),
        })));
        return result;
    }

    private static T Allocated<T>(JsonObject into, string name, Func<T> step)
    {
        long a0 = GC.GetAllocatedBytesForCurrentThread();
        T value = step();
        into[name] = GC.GetAllocatedBytesForCurrentThread() - a0;
        return value;
    }

    private static HeRoundParameters Round(int clients, int length, IdentityKeyPair[] identities, int round) => HeRoundParameters.Create(new HeRoundConfiguration
    {
        RoundId = [.. Enumerable.Range(0, 16).Select(i => (byte)(i + 16 * round))],
        Roster = [.. Enumerable.Range(1, clients).Select(i => new RosterEntry { ClientId = (uint)i, IdentityKey = identities[i - 1].PublicKey.Bytes.ToArray() })],
        Decryptors = [.. Enumerable.Range(1, clients).Select(i => (uint)i)],
        Threshold = clients / 2 + 1,
        VectorLength = length,
        Bits = Bits,
        InputRange = (1UL << Bits) / (ulong)clients,
        MinimumClients = 1,
    });

    // Every decryptor's signed H0 advertisement, as the server forwards them (ascending sender).
    private static CollectiveKeyAnnouncement Announce(HeRoundParameters p, IdentityKeyPair[] identities, IRandomSource rng)
    {
        var adverts = new List<HeEnvelope>();
        foreach (uint id in p.DecryptorIds)
        {
            var step = HeDecryptor.Start(p, identities[id - 1], id, rng).Advertise();
            adverts.Add(step.Outgoing!);
            step.Next.Dispose();
        }
        return new CollectiveKeyAnnouncement { Advertisements = [.. adverts] };
    }
}
