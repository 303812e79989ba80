using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using SecureFed.Primitives.Signatures;

namespace SecureFed.Client.Rounds;

/// <summary>
/// The round configurations this process has parsed for one scheme, shared by every party that received the same
/// bytes: a swarm of simulated devices (or an app running several clients) decodes and validates a round's
/// configuration (roster keys, plan) once instead of once per device. Keyed by the exact configuration bytes, so two
/// rounds, or two different configurations claimed for one round, never share. An entry holds its parse weakly: a
/// configuration no party uses any more is collected, and its entry pruned at the next miss. A parse that throws is
/// not remembered: every device that asks parses again and gets its own typed error.
/// </summary>
/// <param name="parse">Decodes and validates configuration bytes (throws on malformed bytes or fields).</param>
/// <param name="roster">The parsed roster: identity key per client id.</param>
internal sealed class ParsedConfigurations<T>(Func<byte[], T> parse, Func<T, IReadOnlyDictionary<uint, IdentityPublicKey>> roster)
    where T : class
{
    private readonly Dictionary<byte[], Entry> _entries = new(BytesComparer.Instance);
    private readonly Lock _gate = new();

    /// <summary>The shared parse of <paramref name="configuration"/>, parsing it if no live party holds one.</summary>
    /// <exception cref="Exception">Whatever the parse throws for these bytes (nothing is cached then).</exception>
    public ParsedConfiguration<T> GetOrParse(byte[] configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Entry? entry;
        lock (_gate)
        {
            if (!_entries.TryGetValue(configuration, out entry))
            {
                Prune();
                entry = new Entry((byte[])configuration.Clone()); // the caller's array is not ours to keep
                _entries.Add(entry.Bytes, entry);
            }
        }
        // Parsed under the entry's own lock: devices of one round wait for the first parse instead of all parsing it.
        return entry.GetOrParse(parse, roster);
    }

    private void Prune()
    {
        foreach (KeyValuePair<byte[], Entry> kv in _entries)
        {
            if (!kv.Value.IsAlive)
            {
                _entries.Remove(kv.Key);
            }
        }
    }

    private sealed class Entry(byte[] bytes)
    {
        private readonly Lock _gate = new();
        private readonly WeakReference<T?> _parsed = new(null);

        // The roster index lives exactly as long as the parse it indexes (the parties hold the parse, not the index).
        private readonly ConditionalWeakTable<T, FrozenDictionary<IdentityPublicKey, uint>> _index = [];

        public byte[] Bytes => bytes;

        public bool IsAlive
        {
            get
            {
                lock (_gate)
                {
                    return _parsed.TryGetTarget(out _);
                }
            }
        }

        public ParsedConfiguration<T> GetOrParse(Func<byte[], T> parse, Func<T, IReadOnlyDictionary<uint, IdentityPublicKey>> roster)
        {
            lock (_gate)
            {
                if (_parsed.TryGetTarget(out T? parameters) && _index.TryGetValue(parameters, out FrozenDictionary<IdentityPublicKey, uint>? ids))
                {
                    return new ParsedConfiguration<T>(parameters, ids);
                }
                parameters = parse(bytes);
                ids = roster(parameters).ToFrozenDictionary(kv => kv.Value, kv => kv.Key);
                _index.AddOrUpdate(parameters, ids);
                _parsed.SetTarget(parameters);
                return new ParsedConfiguration<T>(parameters, ids);
            }
        }
    }

    // Equal contents are one key; the hash reads the length and at most 256 bytes from each end (the round id is near
    // the start), equality compares every byte.
    private sealed class BytesComparer : IEqualityComparer<byte[]>
    {
        public static BytesComparer Instance { get; } = new();

        public bool Equals(byte[]? x, byte[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

        public int GetHashCode(byte[] bytes)
        {
            var hash = new HashCode();
            hash.Add(bytes.Length);
            int edge = Math.Min(256, bytes.Length);
            hash.AddBytes(bytes.AsSpan(0, edge));
            hash.AddBytes(bytes.AsSpan(bytes.Length - edge));
            return hash.ToHashCode();
        }
    }
}

/// <summary>A validated round configuration shared by the devices of a round (a party keeps <see cref="Parameters"/>,
/// which keeps the cache entry alive), with its roster indexed by key: each device finds its id in O(1), not by a scan
/// of the roster.</summary>
internal sealed class ParsedConfiguration<T>(T parameters, FrozenDictionary<IdentityPublicKey, uint> idsByKey)
    where T : class
{
    public T Parameters => parameters;

    /// <summary>The client id enrolled with <paramref name="key"/>, or 0 when the key is not on the roster.</summary>
    public uint IdOf(IdentityPublicKey key) => idsByKey.GetValueOrDefault(key);
}
