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
    private const int Bits = HeBenchLayout.Bits;
    private const uint Device = 1;

    public static JsonObject Measure(int clients, int length, int reps, int rounds, TextWriter error)
    {
        var identities = Enumerable.Range(1, clients).Select(i => IdentityKeyPair.FromSeed(Enumerable.Repeat((byte)i, 32).ToArray())).ToArray();
        try
        {
            using var rng = new DeterministicRandomSource(17);
            // The same rounds (own round id, own collective key) for both ways of running the device.
            var plays = Enumerable.Range(0, rounds).Select(r =>
            {
                var p = Round(clients, length, identities, r);
                error.WriteLine($"  client path: keys of round {r + 1}/{rounds}");
                return (Parameters: p, Announcement: Announce(p, identities, rng));
            }).ToArray();
            var values = new ulong[length];
            var fresh = Run(plays, identities[Device - 1], values, rng, null);
            using var buffer = new HeUploadBuffer(plays[0].Parameters);
            var kept = Run(plays, identities[Device - 1], values, rng, buffer);
            var (last, lastAnnouncement) = plays[^1];
            var plan = last.Plan;
            var (microMs, microCpuMs) = HeBenchPipeline.EncryptMicrobenchmark(plan, HeClient.VerifyKey(last, lastAnnouncement), values, reps, rng);
            foreach (var (name, path) in new[] { ("fresh_upload", fresh), ("kept_buffer", kept) })
            {
                path["later_rounds_vs_microbenchmark"] = Math.Round(path["later_rounds_ms_per_ciphertext"]!.GetValue<double>() / microMs, 3);
                path["later_rounds_vs_microbenchmark_cpu"] = Math.Round(path["later_rounds_cpu_ms_per_ciphertext"]!.GetValue<double>() / microCpuMs, 3);
                path["later_rounds_allocated_vs_upload"] = Math.Round(path["later_rounds_allocated_bytes"]!.GetValue<long>() / (double)last.UploadSize, 3);
                error.WriteLine($"  client path ({name}): {path["later_rounds_vs_microbenchmark_cpu"]}x the bare encryption in CPU");
            }
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
                ["encrypt_microbenchmark_ms"] = microMs,
                ["encrypt_microbenchmark_cpu_ms"] = microCpuMs,
                // A fresh HeClient.Start per round (HeClient.Start without a buffer), then one HeUploadBuffer kept across rounds.
                ["fresh_upload"] = fresh,
                ["kept_buffer"] = kept,
                ["allocation_breakdown"] = Breakdown(last, lastAnnouncement, identities[Device - 1], Device, values, rng),
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

    private static JsonObject Run((HeRoundParameters Parameters, CollectiveKeyAnnouncement Announcement)[] plays, IdentityKeyPair identity, ulong[] values, IRandomSource rng, HeUploadBuffer? buffer)
    {
        var perRound = new JsonArray();
        double laterMs = 0, laterCpuMs = 0;
        long laterAllocated = 0;
        for (int r = 0; r < plays.Length; r++)
        {
            var (p, announcement) = plays[r];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = rng.NextBelow(p.Configuration.InputRange);
            }
            long allocated0 = GC.GetAllocatedBytesForCurrentThread();
            double cpu0 = HeBenchPipeline.CpuMs();
            long t0 = Stopwatch.GetTimestamp();
            var start = buffer is null ? HeClient.Start(p, identity, Device, values, rng) : HeClient.Start(p, identity, Device, values, rng, buffer);
            var step = start.Handle(announcement);
            double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            double cpuMs = HeBenchPipeline.CpuMs() - cpu0;
            long allocated = GC.GetAllocatedBytesForCurrentThread() - allocated0;
            if (step.Next is HePartyAbortedState || step.Outgoing is null)
            {
                throw new InvalidOperationException($"the client refused an honest announcement: {step.Next}");
            }
            // The round ends once the upload is sent (here: dropped), which hands the buffer back.
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
        }
        int later = plays.Length - 1;
        return new JsonObject
        {
            ["per_round"] = perRound,
            ["later_rounds_ms_per_ciphertext"] = laterMs / later,
            ["later_rounds_cpu_ms_per_ciphertext"] = laterCpuMs / later,
            ["later_rounds_allocated_bytes"] = laterAllocated / later,
        };
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
