namespace SecureFed.Protocol.Graph;

/// <summary>
/// The Harary graph H(k, m) of even degree k on a ring: the member at ring position a is adjacent to positions
/// a +- 1, ..., a +- k/2 (mod m). It is k-connected, and with the ring order a secret random permutation it
/// behaves like the random k-regular graphs of Bell et al. (CCS 2020). With m &lt;= k + 1 it is the complete graph.
/// </summary>
public sealed class HararyGraph : INeighbourGraph
{
    private readonly uint[] _ring;
    private readonly Dictionary<uint, int> _position;
    private readonly int _halfDegree;

    /// <summary>Builds the graph over <paramref name="ring"/> (distinct ids, in ring order) with degree <paramref name="degree"/>.</summary>
    /// <exception cref="ArgumentException">Odd or non-positive degree, or repeated ids.</exception>
    public HararyGraph(IReadOnlyList<uint> ring, int degree)
    {
        ArgumentNullException.ThrowIfNull(ring);
        if (degree < 2 || degree % 2 != 0)
        {
            throw new ArgumentException($"degree must be even and at least 2, got {degree}", nameof(degree));
        }
        _ring = [.. ring];
        _position = [];
        for (int i = 0; i < _ring.Length; i++)
        {
            if (!_position.TryAdd(_ring[i], i))
            {
                throw new ArgumentException($"client {_ring[i]} appears twice in the ring", nameof(ring));
            }
        }
        // When the ring is too small for k distinct neighbours, everyone is adjacent to everyone.
        _halfDegree = Math.Min(degree / 2, _ring.Length / 2);
        Degree = degree;
    }

    /// <summary>The configured degree k.</summary>
    public int Degree { get; }

    /// <summary>Members in ring order.</summary>
    public IReadOnlyList<uint> Ring => _ring;

    /// <inheritdoc />
    public IReadOnlyList<uint> NeighboursOf(uint clientId) =>
        _position.TryGetValue(clientId, out int a) ? NeighboursAt(_ring, a, Degree) : [];

    /// <summary>
    /// The neighbours (ascending, without repeats) of the member at position <paramref name="position"/> of
    /// <paramref name="ring"/> in H(<paramref name="degree"/>, ring length): what <see cref="NeighboursOf"/> gives,
    /// without building the graph's index of every member (a client needs only its own edges).
    /// </summary>
    public static uint[] NeighboursAt(ReadOnlySpan<uint> ring, int position, int degree)
    {
        int m = ring.Length;
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(position, m);
        int half = Math.Min(degree / 2, m / 2);
        var found = new List<uint>(2 * half);
        for (int d = 1; d <= half; d++)
        {
            found.Add(ring[(position + d) % m]);
            found.Add(ring[((position - d) % m + m) % m]);
        }
        found.Sort();
        var neighbours = new List<uint>(found.Count);
        foreach (uint v in found)
        {
            if (v != ring[position] && (neighbours.Count == 0 || neighbours[^1] != v))
            {
                neighbours.Add(v);
            }
        }
        return [.. neighbours];
    }

    /// <inheritdoc />
    public bool AreNeighbours(uint a, uint b)
    {
        if (a == b || !_position.TryGetValue(a, out int pa) || !_position.TryGetValue(b, out int pb))
        {
            return false;
        }
        int m = _ring.Length;
        int dist = Math.Abs(pa - pb);
        return Math.Min(dist, m - dist) <= _halfDegree;
    }
}
