using SecureFed.Client;
using SecureFed.Transport.Admin;

namespace SecureFed.Cli.Commands;

/// <summary>What a swarm run does differently per scheme: the round it opens, who drops out and when, the inputs, and the summary's head lines.</summary>
internal interface ISwarmScheme
{
    /// <summary>The scheme's wire name (the report's scheme).</summary>
    string Name { get; }

    /// <summary>Stages whose last send the report times (stage_seconds).</summary>
    int Stages { get; }

    /// <summary>The devices (indices) that go offline on purpose.</summary>
    HashSet<int> PickDropouts(long seed, int clients);

    /// <summary>Device <paramref name="index"/>'s input (deterministic in the seed).</summary>
    ulong[] Input(long seed, int index);

    /// <summary>The open-round request over the enrolled ids (in device order).</summary>
    OpenRoundRequest Request(string federation, IReadOnlyList<uint> ids);

    /// <summary>True when this progress event is the moment a device goes offline (a planned dropout, or the silenced decryptor).</summary>
    bool GoesOffline(ContributionProgressEventArgs e, bool plannedDropout);

    /// <summary>The summary's first lines (the shared tail follows).</summary>
    void PrintHead(SwarmReport report, TextWriter output);
}
