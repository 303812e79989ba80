using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Client;

// What the client keeps from the key directory: the session id, its neighbours' keys and who advertised (U1, one bit
// per enrolled client). The graph itself is never built: a client only ever asks about its own edges, and a
// simulation of 10,000 clients cannot afford 10,000 copies of anything the size of the roster.
internal sealed class ClientSession(byte[] sessionId, IReadOnlyDictionary<uint, PeerKeys> peers, IReadOnlyList<uint> neighbours, AdvertisedSet advertised)
{
    private readonly HashSet<uint> _neighbours = [.. neighbours];
    private readonly uint[] _ascendingNeighbours = [.. neighbours.Order()];

    public byte[] SessionId { get; } = sessionId;

    // Keys of this client's neighbours and of itself.
    public IReadOnlyDictionary<uint, PeerKeys> Peers { get; } = peers;

    public IReadOnlyCollection<uint> Neighbours => _neighbours;

    public bool IsNeighbour(uint id) => _neighbours.Contains(id);

    // The neighbours in ascending order, for walking beside an ascending roster-sized list instead of a lookup per id.
    public ReadOnlySpan<uint> AscendingNeighbours => _ascendingNeighbours;

    public AdvertisedSet Advertised { get; } = advertised;
}
