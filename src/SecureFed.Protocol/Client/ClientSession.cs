using SecureFed.Protocol.Graph;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Client;

// What the client learned from the key directory: the session id, every peer's keys and the graph.
internal sealed class ClientSession(byte[] sessionId, IReadOnlyDictionary<uint, PeerKeys> peers, INeighbourGraph graph, IReadOnlySet<uint> advertised)
{
    // U1: every client in the key directory (peers holds the keys of this client's neighbours only).
    public IReadOnlySet<uint> Advertised { get; } = advertised;

    public byte[] SessionId { get; } = sessionId;

    public IReadOnlyDictionary<uint, PeerKeys> Peers { get; } = peers;

    public INeighbourGraph Graph { get; } = graph;
}
