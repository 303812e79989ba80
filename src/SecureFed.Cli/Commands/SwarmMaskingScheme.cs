using SecureFed.Client;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Vectors;
using SecureFed.Transport.Admin;

namespace SecureFed.Cli.Commands;

/// <summary>A masking swarm: uniform inputs mod 2^bits; a planned dropout goes offline after its share delivery, before its masked input.</summary>
internal sealed class SwarmMaskingScheme(SwarmPlan plan, int? threshold, int dropouts, GraphRequest graph) : ISwarmScheme
{
    public string Name => "masking";

    public int Stages => 5;

    public HashSet<int> PickDropouts(long seed, int clients) => SwarmDevices.PickDropouts(seed, 0, clients, dropouts);

    public ulong[] Input(long seed, int index)
    {
        ulong mask = ModularArithmetic.Mask(plan.Bits);
        return SwarmDevices.Input(seed, index, plan.Length, random => random.NextUInt64() & mask);
    }

    public OpenRoundRequest Request(string federation, IReadOnlyList<uint> ids) => new()
    {
        Federation = federation,
        Vectors = [new VectorRequest { Length = plan.Length, Bits = plan.Bits }],
        Threshold = threshold,
        StageDeadlineSeconds = plan.DeadlineSeconds,
        StageDeadlinesSeconds = plan.StageDeadlinesSeconds is { } list ? [.. list] : null,
        Graph = graph,
    };

    public bool GoesOffline(ContributionProgressEventArgs e, bool plannedDropout) => plannedDropout && e.Step == "received" && e.Stage == 1;

    public void PrintHead(SwarmReport r, TextWriter output)
    {
        output.WriteLine($"round {r.RoundId}: {r.Clients} clients x {r.Length} values ({r.Bits} bits), graph {r.Graph} (k = {r.K}, t = {r.T}), status {r.Status}");
        output.WriteLine($"  survivors {r.Survivors}, dropped {r.Dropped}, lost {r.Lost}, clients failed {r.ClientsFailed}");
    }
}
