namespace SecureFed.Aggregator.Rounds;

/// <summary>
/// At most <see cref="Capacity"/> rounds by id, least recently used evicted first: what keeps a host's memory flat
/// however many rounds it has served (an evicted entry is loaded again from the store when it is asked for). An entry
/// is made once per miss even under concurrent callers (a poll burst right after a round ends asks for it from every
/// device at once); a factory that throws or finds nothing leaves no entry behind.
/// </summary>
/// <typeparam name="T">What is kept per round.</typeparam>
internal sealed class BoundedRoundCache<T>
    where T : class
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<(string Id, Lazy<T?> Entry)>> _byId = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Id, Lazy<T?> Entry)> _recency = new(); // most recently used first

    /// <param name="capacity">Entries kept; 0 keeps none (every call makes its entry afresh).</param>
    public BoundedRoundCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>Entries held now (never more than <see cref="Capacity"/>).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byId.Count;
            }
        }
    }

    /// <summary>
    /// The entry for <paramref name="id"/>, made by <paramref name="make"/> on a miss (outside the cache's lock); null,
    /// and nothing kept, when <paramref name="make"/> finds none. Only a made entry evicts the least recently used one,
    /// so asking for ids that do not exist never pushes out the ones that do.
    /// </summary>
    public T? GetOrAdd(string id, Func<T?> make)
    {
        ArgumentNullException.ThrowIfNull(make);
        if (Capacity == 0)
        {
            return make();
        }
        Lazy<T?> entry;
        lock (_gate)
        {
            if (_byId.TryGetValue(id, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                entry = node.Value.Entry;
            }
            else
            {
                entry = new Lazy<T?>(make, LazyThreadSafetyMode.ExecutionAndPublication);
                _byId[id] = _recency.AddFirst((id, entry));
            }
        }
        T? value;
        try
        {
            value = entry.Value;
        }
        catch
        {
            Forget(id, entry);
            throw;
        }
        if (value is null)
        {
            Forget(id, entry);
            return null;
        }
        lock (_gate)
        {
            while (_byId.Count > Capacity)
            {
                LinkedListNode<(string Id, Lazy<T?> Entry)> oldest = _recency.Last!;
                _recency.RemoveLast();
                _byId.Remove(oldest.Value.Id);
            }
        }
        return value;
    }

    /// <summary>The entry for <paramref name="id"/> if one is held and made (marks it used).</summary>
    public bool TryGet(string id, out T? value)
    {
        lock (_gate)
        {
            if (_byId.TryGetValue(id, out var node) && node.Value.Entry.IsValueCreated && node.Value.Entry.Value is { } made)
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                value = made;
                return true;
            }
        }
        value = null;
        return false;
    }

    // Forgets the entry only if it is still the one that failed or found nothing (a later made one stays).
    private void Forget(string id, Lazy<T?> failed)
    {
        lock (_gate)
        {
            if (_byId.TryGetValue(id, out var node) && ReferenceEquals(node.Value.Entry, failed))
            {
                _byId.Remove(id);
                _recency.Remove(node);
            }
        }
    }
}
