using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Client;

// What the client keeps from the key directory: the session id, its neighbours' keys and who advertised (U1). The
// graph itself is dropped once the neighbours are known: a client only ever asks about its own edges, and a
// simulation of 10,000 clients cannot afford 10,000 copies of the whole graph.
internal sealed class ClientSession(byte[] sessionId, IReadOnlyDictionary<uint, PeerKeys> peers, IReadOnlyList<uint> neighbours, uint[] advertisedAscending)
{
    private readonly HashSet<uint> _neighbours = [.. neighbours];

    public byte[] SessionId { get; } = sessionId;

    // Keys of this client's neighbours and of itself.
    public IReadOnlyDictionary<uint, PeerKeys> Peers { get; } = peers;

    public bool IsNeighbour(uint id) => _neighbours.Contains(id);

    public bool WasAdvertised(uint id) => Array.BinarySearch(advertisedAscending, id) >= 0;
}
