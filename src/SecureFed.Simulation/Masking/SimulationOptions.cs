using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Simulation;

/// <summary>What an in-process round runs: clients, vectors, threshold, who drops out when, and where inputs come from.</summary>
public sealed class SimulationOptions
{
    /// <summary>Number of clients (ids 1..Clients).</summary>
    public required int Clients { get; init; }

    /// <summary>The vectors of the round.</summary>
    public required IReadOnlyList<VectorSpec> Vectors { get; init; }

    /// <summary>The neighbour graph.</summary>
    public GraphKind Graph { get; init; } = GraphKind.Complete;

    /// <summary>Harary degree k (even); ignored for the complete graph.</summary>
    public int GraphDegree { get; init; }

    /// <summary>Shamir threshold; null picks the smallest allowed (a strict majority of the share holders).</summary>
    public int? Threshold { get; init; }

    /// <summary>Client id -> the stage whose message it never sends (it is silent from then on).</summary>
    public IReadOnlyDictionary<uint, ProtocolStage> Dropouts { get; init; } = new Dictionary<uint, ProtocolStage>();

    /// <summary>
    /// Each client's quantized input, asked for once when the client masks it; the simulator keeps a copy until the
    /// server accepts the masked input and adds it to the reference sum the result is checked against (the client
    /// wipes its own).
    /// </summary>
    public required Func<uint, ulong[][]> Inputs { get; init; }

    /// <summary>
    /// Called with the arrays <see cref="Inputs"/> gave a client once the client has masked them, wiped them (they are
    /// all zero) and let them go, so a caller that makes many large inputs can reuse them for later clients instead of
    /// allocating each: at a million values the test inputs were the largest allocations of a run, and collecting them
    /// competed with the clients being timed. Null: the arrays are simply dropped.
    /// </summary>
    public Action<uint, ulong[][]>? InputReleased { get; init; }

    /// <summary>Seed for reproducible keys and randomness; null uses the OS CSPRNG.</summary>
    public long? Seed { get; init; }

    /// <summary>Progress lines for long runs (e.g. "R2 MaskedInputCollection: 120/500 clients").</summary>
    public IProgress<string>? Progress { get; init; }

    /// <summary>Observer of every message on the wire, in order (for transcripts and test vectors).</summary>
    public IWireObserver? Observer { get; init; }

    /// <summary>Cores the simulation may use; defaults to the processor count.</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Threads each client uses (its <see cref="Client.ClientLimits.MaxDegreeOfParallelism"/>); clients then run
    /// MaxParallelism / ClientThreads at a time, so a client's measured time is that of a device with this many cores.
    /// Default 1: clients run side by side, one core each.
    /// </summary>
    public int ClientThreads { get; init; } = 1;
}
