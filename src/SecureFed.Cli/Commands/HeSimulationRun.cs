using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Server;
using SecureFed.HeProtocol.Simulation;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Primitives.Vectors;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Quantization;

namespace SecureFed.Cli.Commands;

// One simulated HE round through the HE protocol's state machines (SecureFed.HeProtocol): every envelope and
// server message is serialized and parsed, and every byte count is the length of a real message.
internal sealed class HeSimulationRun(HeRoundConfiguration configuration, FixedPointQuantizer quantizer, IRandomSource random, TextWriter progress,
    Func<int, ulong[]>? inputSource = null)
{
    // The decrypted sum and the clients in it, after Execute (for the DP evaluation).
    public ulong[]? LastSum { get; private set; }

    public IReadOnlyList<int> LastContributors { get; private set; } = [];

    // Set for `--transcript` / `--keys`: keeps the server log and every client's input, and writes the files.
    public HeSimulationAudit? Audit { get; init; }

    public HeSimulationReport Execute(HashSet<int> droppedClients, HashSet<int> droppedDecryptors, string decryptorDropStage)
    {
        int clients = configuration.Roster.Length;
        // Identities: Ed25519 keys from the run's randomness (reproducible under --seed).
        var identities = new IdentityKeyPair[clients];
        var seedBytes = new byte[IdentityKeyPair.SeedSize];
        for (int i = 0; i < clients; i++)
        {
            random.Fill(seedBytes);
            identities[i] = IdentityKeyPair.FromSeed(seedBytes);
            configuration.Roster[i] = new RosterEntry { ClientId = (uint)(i + 1), IdentityKey = identities[i].PublicKey.Bytes.ToArray() };
        }
        try
        {
            var parameters = HeRoundParameters.Create(configuration);
            var plan = parameters.Plan;
            int length = configuration.VectorLength;
            var dropped = droppedDecryptors.Select(j => (uint)j).ToHashSet();
            var options = new HeSimulationOptions
            {
                DroppedClients = droppedClients.Select(c => (uint)c).ToHashSet(),
                DecryptorsDroppedAtAdvertise = decryptorDropStage == "advertise" ? dropped : new HashSet<uint>(),
                DecryptorsDroppedAtKeyShares = decryptorDropStage == "keygen" ? dropped : new HashSet<uint>(),
                DecryptorsDroppedAtDecrypt = decryptorDropStage == "decrypt" ? dropped : new HashSet<uint>(),
                KeepServerLog = Audit?.TranscriptPath is not null,
            };
            var expected = new ulong[length];
            var reals = new double[length];
            var simulator = new HeRoundSimulator(parameters, id => identities[id - 1], random, progress);
            var result = simulator.Run(id =>
            {
                ulong[] input = Input((int)id, reals, expected, plan.Options.Bits);
                return Audit is null ? input : Audit.Keep(id, input);
            }, options);
            Audit?.Capture(parameters, result);

            int survivors = result.ClientBytesSent.Count;
            var report = new HeSimulationReport(plan, length, survivors, plan.Options.Decryptors - droppedDecryptors.Count)
            {
                ClientUploadBytes = result.UploadBytes,
                ClientBytesSent = result.ClientBytesSent.Values.Sum(),
                ServerBytesSent = result.ServerBytesSent,
                DecryptorBytesSent = result.DecryptorBytesSent,
                DecryptionAttempts = result.Attempts,
            };
            foreach (var (stage, ms) in result.Timings)
            {
                report.Timings[stage] = ms;
            }
            report.Timings["encrypt_per_client"] = survivors == 0 ? 0 : result.Timings.GetValueOrDefault("encrypt_total") / survivors;
            switch (result.Final)
            {
                case HeServerCompletedState done:
                    report.SumMatches = done.Result.Sum.AsSpan().SequenceEqual(expected);
                    report.DecryptionCheck = done.Result.Check.ToString();
                    LastSum = done.Result.Sum;
                    LastContributors = [.. done.Result.Contributors.Select(c => (int)c)];
                    return report;
                case HeServerAbortedState aborted:
                    return report.Abort($"{aborted.Reason}: {aborted.Detail}");
                default:
                    return report.Abort($"the round stopped in {result.Final.Name}");
            }
        }
        finally
        {
            foreach (var identity in identities)
            {
                identity?.Dispose();
            }
        }
    }

    // Client c's quantized update (or the DP encoding), added into the expected sum as it is handed out.
    private ulong[] Input(int client, double[] reals, ulong[] expected, int bits)
    {
        ulong[] quantized;
        if (inputSource is not null)
        {
            quantized = inputSource(client); // e.g. the distributed-DP encoding of client c's update
        }
        else
        {
            quantized = new ulong[expected.Length];
            for (int i = 0; i < reals.Length; i++)
            {
                reals[i] = (random.NextDouble() * 2 - 1) * quantizer.ClipRange;
            }
            quantizer.Quantize(reals, quantized, random);
        }
        ModularArithmetic.AddInPlace(expected, quantized, bits);
        if (client % 10 == 0)
        {
            progress.WriteLine($"  encrypting client {client}");
        }
        return quantized;
    }
}
