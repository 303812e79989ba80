using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Graph;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

// The round as the server knows it, filled in stage by stage; states read it, and only a stage's close writes it.
internal sealed class ServerContext(RoundParameters parameters)
{
    public RoundParameters Parameters { get; } = parameters;

    public byte[]? SessionId { get; set; }

    public Dictionary<uint, PeerKeys> Keys { get; } = [];

    public INeighbourGraph? Graph { get; set; }

    public uint[] Advertised { get; set; } = []; // U1

    public uint[] SharedKeys { get; set; } = []; // U2

    public uint[] Survivors { get; set; } = []; // U3

    public uint[] Signers { get; set; } = []; // U4

    public uint[] Responders { get; set; } = []; // U5: clients whose R4 shares were accepted

    // Who the open stage expects: the roster at R0, then the set the previous stage closed with.
    public IReadOnlyCollection<uint> ExpectedAt(ProtocolStage stage) => stage switch
    {
        ProtocolStage.AdvertiseKeys => Parameters.ClientIds,
        ProtocolStage.ShareKeys => Advertised,
        ProtocolStage.MaskedInputCollection => SharedKeys,
        ProtocolStage.ConsistencyCheck => Survivors,
        _ => Signers,
    };

    // Clients that shared keys (U2) but sent no masked input (not in U3), ascending.
    public uint[] Dropped()
    {
        var survivors = new HashSet<uint>(Survivors);
        return [.. SharedKeys.Where(id => !survivors.Contains(id))];
    }

    public ReadOnlySpan<byte> SigningContext(ProtocolStage stage) =>
        stage == ProtocolStage.AdvertiseKeys ? Parameters.ConfigurationHash.Span : SessionId;
}
