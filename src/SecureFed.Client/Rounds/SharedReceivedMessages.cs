namespace SecureFed.Client.Rounds;

/// <summary>
/// Large server messages this process has received, shared by every party that received the same bytes: the key
/// directory is one message of about 140 bytes per client sent to every client (1.4 MB at 10,000 clients), and a swarm
/// of simulated devices (or an app running several clients) that received it holds it from the poll until its party has
/// read it, often all devices at once while they queue for the CPU: n copies of an n-sized message. A received message
/// equal to one a party still holds is answered with that array and the fresh one is let go at once. Messages are
/// compared byte for byte, so different messages never share; an entry holds its array weakly (a message no party holds
/// any more is collected, its entry pruned at the next new message). The parties only read the bytes they receive.
/// </summary>
internal sealed class SharedReceivedMessages
{
    /// <summary>Smaller messages are not looked up: one copy per device costs less than the comparison.</summary>
    internal const int MinimumBytes = 64 * 1024;

    // The hash reads the length and at most this many bytes from each end; equality compares every byte.
    private const int HashedEdge = 256;

    private readonly Dictionary<int, List<WeakReference<byte[]>>> _byHash = [];
    private readonly Lock _gate = new();

    /// <summary>The process's messages, shared by every client in it.</summary>
    public static SharedReceivedMessages Process { get; } = new();

    /// <summary>How many distinct messages have an entry (live or not yet pruned); for tests.</summary>
    internal int Count
    {
        get
        {
            lock (_gate)
            {
                return _byHash.Values.Sum(l => l.Count);
            }
        }
    }

    /// <summary>
    /// An array equal to <paramref name="received"/> that a party of this process may already hold, else
    /// <paramref name="received"/> itself (then remembered for the next party that receives the same bytes).
    /// </summary>
    public byte[] Share(byte[] received)
    {
        ArgumentNullException.ThrowIfNull(received);
        if (received.Length < MinimumBytes)
        {
            return received;
        }
        int hash = Hash(received);
        lock (_gate)
        {
            if (_byHash.TryGetValue(hash, out List<WeakReference<byte[]>>? held))
            {
                for (int i = held.Count - 1; i >= 0; i--)
                {
                    if (!held[i].TryGetTarget(out byte[]? kept))
                    {
                        held.RemoveAt(i);
                    }
                    else if (kept.AsSpan().SequenceEqual(received))
                    {
                        return kept;
                    }
                }
            }
            else
            {
                Prune();
                _byHash[hash] = held = [];
            }
            held.Add(new WeakReference<byte[]>(received));
            return received;
        }
    }

    private void Prune()
    {
        foreach (KeyValuePair<int, List<WeakReference<byte[]>>> kv in _byHash)
        {
            kv.Value.RemoveAll(w => !w.TryGetTarget(out _));
            if (kv.Value.Count == 0)
            {
                _byHash.Remove(kv.Key);
            }
        }
    }

    private static int Hash(byte[] bytes)
    {
        var hash = new HashCode();
        hash.Add(bytes.Length);
        int edge = Math.Min(HashedEdge, bytes.Length);
        hash.AddBytes(bytes.AsSpan(0, edge));
        hash.AddBytes(bytes.AsSpan(bytes.Length - edge));
        return hash.ToHashCode();
    }
}
