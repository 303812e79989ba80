using System.Collections.Concurrent;

namespace SecureFed.Aggregator.Http;

/// <summary>
/// Nonces seen within the replay window, per key. A request is accepted once; its nonce is forgotten only after its
/// timestamp has left the window, when the timestamp check alone refuses it.
/// </summary>
internal sealed class NonceCache
{
    // Sweep expired entries every this many insertions: amortised O(1), memory bounded by rate limit x window.
    private const int SweepInterval = 4096;

    private readonly ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);
    private int _insertions;

    /// <summary>Records the nonce; false when it was already used.</summary>
    public bool TryUse(string keyHex, string nonceHex, long timestampMs, long oldestValidMs)
    {
        if (Interlocked.Increment(ref _insertions) % SweepInterval == 0)
        {
            foreach (var (k, ts) in _seen)
            {
                if (ts < oldestValidMs)
                {
                    _seen.TryRemove(k, out _);
                }
            }
        }
        return _seen.TryAdd(keyHex + nonceHex, timestampMs);
    }

    public int Count => _seen.Count;
}
