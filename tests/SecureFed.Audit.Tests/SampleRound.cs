using SecureFed.Audit.Keys;
using SecureFed.Audit.Transcripts;
using SecureFed.Transcripts;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Primitives.Vectors;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Simulation;

namespace SecureFed.Audit.Tests;

// A small seeded simulated round with its recorded messages, so tests can write honest and doctored transcripts
// (signed with the same aggregator key: a malicious aggregator can always re-sign its own transcript).
internal sealed class SampleRound
{
    public const long Seed = 4242;
    private static readonly VectorSpec[] TwoVectors = [new VectorSpec { Length = 400, Bits = 32 }, new VectorSpec { Length = 3, Bits = 20 }];
    private static readonly Lazy<SampleRound> CompleteGraph = new(() => new SampleRound(GraphKind.Complete, 6, 0, TwoVectors, Input));
    private static readonly Lazy<SampleRound> HararyGraph = new(() => new SampleRound(GraphKind.Harary, 12, 4, TwoVectors, Input));
    private static readonly Lazy<SampleRound> Uniform = new(() => new SampleRound(GraphKind.Complete, 5, 0, [new VectorSpec { Length = 600, Bits = 32 }], UniformInput));

    public SampleRound(GraphKind graph, int clients, int degree, VectorSpec[] vectors, Func<uint, ulong[][]> inputs,
        IReadOnlyDictionary<uint, ProtocolStage>? dropouts = null)
    {
        var recorder = new TranscriptRecorder();
        InputOf = inputs;
        Options = new SimulationOptions
        {
            Clients = clients,
            Vectors = vectors,
            Graph = graph,
            GraphDegree = degree,
            // Client 2 never sends its masked input; client 5 stops before unmasking.
            Dropouts = dropouts ?? new Dictionary<uint, ProtocolStage> { [2] = ProtocolStage.MaskedInputCollection, [5] = ProtocolStage.Unmasking },
            Inputs = inputs,
            Seed = Seed,
            Observer = recorder,
            MaxParallelism = 2,
        };
        Report = new RoundSimulator(Options).Run();
        Messages = recorder.Messages;
        Transcript = Write(Messages, SimulationTranscript.ResultOf(Report, double.NaN), null);
    }

    public static SampleRound Complete => CompleteGraph.Value;

    public static SampleRound Harary => HararyGraph.Value;

    // Plain inputs that are themselves uniform: the uniformity test cannot tell them from masked values.
    public static SampleRound UniformInputs => Uniform.Value;

    public Func<uint, ulong[][]> InputOf { get; }

    public SimulationOptions Options { get; }

    public SimulationReport Report { get; }

    public IReadOnlyList<RecordedMessage> Messages { get; }

    public byte[] Transcript { get; }

    public static byte[] AggregatorPublicKey
    {
        get
        {
            using IdentityKeyPair k = AggregatorKey();
            return k.PublicKey.Bytes.ToArray();
        }
    }

    // Small signed values around zero (like quantized updates), two's complement mod 2^bits: far from uniform.
    public static ulong[][] Input(uint id) =>
    [
        [.. Enumerable.Range(0, 400).Select(k => (ulong)(((id * 7919L + k * 104729L) % 2001) - 1000) & ModularArithmetic.Mask(32))],
        [.. Enumerable.Range(0, 3).Select(k => (ulong)(id * 10 + k))],
    ];

    public static ulong[][] UniformInput(uint id)
    {
        using var r = DeterministicRandomSource.Derive(Seed, "uniform-input", id);
        return [[.. Enumerable.Range(0, 600).Select(_ => r.NextUInt64() & ModularArithmetic.Mask(32))]];
    }

    public AuditKeyFile Keys() => AuditKeyFile.Create(Seed, Report.Configuration, InputOf);

    public byte[] Write(IReadOnlyList<RecordedMessage> messages, TranscriptResult result, DpRoundRecord? dp)
    {
        using IdentityKeyPair aggregator = AggregatorKey();
        using var stream = new MemoryStream();
        TranscriptWriter.Write(stream, Report.Configuration, messages, result, dp, aggregator, "2026-01-01T00:00:00.000Z");
        return stream.ToArray();
    }

    public TranscriptResult Result() => SimulationTranscript.ResultOf(Report, double.NaN);

    private static IdentityKeyPair AggregatorKey()
    {
        using var r = DeterministicRandomSource.Derive(Seed, "aggregator");
        return IdentityKeyPair.Generate(r);
    }
}
