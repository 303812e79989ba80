using SecureFed.Audit.Keys;
using SecureFed.Audit.Transcripts;
using SecureFed.Transcripts;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Simulation;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Configuration;

namespace SecureFed.Audit.Tests;

// A small seeded HE round (N = 4096): 5 clients, decryptors 1..3 with t = 2; client 5 never uploads and decryptor 2
// ignores its decryption request, so the server retries with another set. Tests write honest and doctored
// transcripts of it with the same aggregator key (a malicious aggregator can always re-sign its own transcript).
internal sealed class HeSampleRound : IDisposable
{
    public const long Seed = 77;
    public const string CreatedUtc = "2026-01-01T00:00:00.000Z";
    private static readonly Lazy<HeSampleRound> Shared = new(() => new HeSampleRound());
    private readonly IdentityKeyPair[] _identities;

    public HeSampleRound(int clients = 5, int decryptors = 3, int threshold = 2, int length = 8, uint[]? droppedClients = null, uint[]? droppedAtDecrypt = null, int bits = 32,
        uint[]? badShares = null)
    {
        _identities = [.. Enumerable.Range(1, clients).Select(i => IdentityKeyPair.FromSeed(Enumerable.Repeat((byte)(0x40 + i), 32).ToArray()))];
        Configuration = new HeRoundConfiguration
        {
            RoundId = [.. Enumerable.Range(0, 16).Select(i => (byte)(0x30 + i))],
            Roster = [.. Enumerable.Range(1, clients).Select(i => new RosterEntry { ClientId = (uint)i, IdentityKey = _identities[i - 1].PublicKey.Bytes.ToArray() })],
            Decryptors = [.. Enumerable.Range(1, decryptors).Select(i => (uint)i)],
            Threshold = threshold,
            VectorLength = length,
            Bits = bits,
            InputRange = 1000,
            // Pinned rather than the automatic layout, so the configuration bytes of the committed vector stay put.
            Lanes = 1,
            Bodies = 1,
            MinimumClients = 2,
            MaxDecryptionAttempts = 2,
        };
        Parameters = HeRoundParameters.Create(Configuration);
        Inputs = Parameters.ClientIds.ToDictionary(id => id, id => Enumerable.Range(0, length).Select(i => (ulong)((id * 37 + i * 11) % 1000)).ToArray());
        using var random = new DeterministicRandomSource(Seed);
        Result = new HeRoundSimulator(Parameters, id => _identities[id - 1], random).Run(id => Inputs[id], new HeSimulationOptions
        {
            KeepServerLog = true,
            DroppedClients = (droppedClients ?? [5]).ToHashSet(),
            DecryptorsDroppedAtDecrypt = (droppedAtDecrypt ?? [2]).ToHashSet(),
            DecryptorsSendingBadShares = (badShares ?? []).ToHashSet(),
        });
        Messages = HeSimulationTranscript.Record(Parameters, Result);
        Published = HeTranscriptResult.From(Result.Final, Result.Attempts);
        Transcript = Write(Messages, Published);
    }

    public static HeSampleRound Default => Shared.Value;

    public HeRoundConfiguration Configuration { get; }

    public HeRoundParameters Parameters { get; }

    public Dictionary<uint, ulong[]> Inputs { get; }

    public HeSimulationResult Result { get; }

    public IReadOnlyList<RecordedMessage> Messages { get; }

    public HeTranscriptResult Published { get; }

    public byte[] Transcript { get; }

    public IdentityKeyPair Identity(uint id) => _identities[id - 1];

    public HeAuditKeyFile Keys() => new(Parameters.ConfigurationHash.Span, Published.Contributors.ToDictionary(id => id, id => Inputs[id]));

    public static IdentityKeyPair AggregatorKey() => IdentityKeyPair.FromSeed([.. Enumerable.Range(0, 32).Select(i => (byte)(0xC0 + i))]);

    public byte[] Write(IReadOnlyList<RecordedMessage> messages, HeTranscriptResult result, DpRoundRecord? dp = null)
    {
        using IdentityKeyPair aggregator = AggregatorKey();
        using var stream = new MemoryStream();
        TranscriptWriter.Write(stream, Configuration, messages, result, aggregator, CreatedUtc, dp);
        return stream.ToArray();
    }

    public void Dispose()
    {
        foreach (IdentityKeyPair identity in _identities)
        {
            identity.Dispose();
        }
    }
}
