using SecureFed.Protocol.Diagnostics;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Server;

namespace SecureFed.Protocol.Simulation;

/// <summary>The outcome of a simulated round.</summary>
public sealed class SimulationReport
{
    /// <summary>The round configuration the simulation ran (roster, vectors, threshold, graph).</summary>
    public required Configuration.RoundConfiguration Configuration { get; init; }

    /// <summary>Clients in the round.</summary>
    public required int Clients { get; init; }

    /// <summary>Shamir threshold used.</summary>
    public required int Threshold { get; init; }

    /// <summary>The result, when the server completed.</summary>
    public AggregationResult? Result { get; init; }

    /// <summary>The server's abort reason, when it aborted.</summary>
    public AbortReason? AbortReason { get; init; }

    /// <summary>Abort detail.</summary>
    public string? AbortDetail { get; init; }

    /// <summary>True when the result equals the plain sum of the survivors' inputs, vector by vector.</summary>
    public bool SumMatches { get; init; }

    /// <summary>Per-stage measurements (R0..R4 client work, then the server's unmasking).</summary>
    public required IReadOnlyList<StageReport> Stages { get; init; }

    /// <summary>
    /// Each client's compute in milliseconds, summed over the stages it ran (index: client id - 1); the same time the
    /// stages' <see cref="StageReport.ClientMillisecondsTotal"/> add up, per client (<see cref="ClientTimeDistribution"/>).
    /// </summary>
    public required IReadOnlyList<double> ClientMilliseconds { get; init; }

    /// <summary>Bytes each client sent, by id (0 for those that never sent).</summary>
    public required IReadOnlyDictionary<uint, long> BytesSentPerClient { get; init; }

    /// <summary>Total bytes the server sent.</summary>
    public required long ServerBytesSent { get; init; }

    /// <summary>Messages the server refused (none in an honest run).</summary>
    public required IReadOnlyList<MessageRejection> Rejections { get; init; }

    /// <summary>Clients that aborted, with their reasons (none in an honest run).</summary>
    public required IReadOnlyDictionary<uint, AbortReason> ClientAborts { get; init; }

    /// <summary>
    /// The process's peak resident bytes when the round ended (<see cref="PeakResidentMemory"/>; process-wide, so it
    /// includes whatever the process did before), or null where the platform does not report it.
    /// </summary>
    public long? PeakResidentBytes { get; init; }
}
