using SecureFed.Primitives.Secrets;

namespace SecureFed.Protocol.Client;

// Fixed-size secrets (keys, seeds, shares) keyed by peer id, in one pinned buffer wiped on Dispose. One allocation per
// table instead of one pinned buffer per peer: hundreds of clients' thousands of small pinned arrays fragment the
// pinned heap until each allocation costs a search. Slots are fixed at construction, so threads may fill distinct slots.
internal sealed class SecretTable : IDisposable
{
    private readonly SecretBuffer _buffer;
    private readonly Dictionary<uint, int> _slots;
    private readonly uint[] _ids;
    private readonly bool[] _present;

    public SecretTable(IReadOnlyList<uint> ids, int entrySize)
    {
        EntrySize = entrySize;
        _ids = [.. ids];
        _slots = new Dictionary<uint, int>(_ids.Length);
        for (int i = 0; i < _ids.Length; i++)
        {
            _slots.Add(_ids[i], i);
        }
        _present = new bool[_ids.Length];
        _buffer = new SecretBuffer(_ids.Length * entrySize);
    }

    public int EntrySize { get; }

    // Ids whose slot was filled, in slot order.
    public IEnumerable<uint> Ids => _ids.Where((_, i) => _present[i]);

    public bool Contains(uint id) => _slots.TryGetValue(id, out int slot) && _present[slot];

    // The filled entry of `id`.
    public Span<byte> this[uint id] => Contains(id) ? Slot(_slots[id]) : throw new KeyNotFoundException($"no secret held for client {id}");

    // Slot `slot` for writing; marks it filled. Distinct slots may be written from distinct threads.
    public Span<byte> Fill(int slot)
    {
        _present[slot] = true;
        return Slot(slot);
    }

    public Span<byte> Fill(uint id) => Fill(_slots[id]);

    private Span<byte> Slot(int slot) => _buffer.Span.Slice(slot * EntrySize, EntrySize);

    public void Dispose() => _buffer.Dispose();
}
