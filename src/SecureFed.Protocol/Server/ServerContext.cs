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

    public ReadOnlySpan<byte> SigningContext(ProtocolStage stage) =>
        stage == ProtocolStage.AdvertiseKeys ? Parameters.ConfigurationHash.Span : SessionId;
}
