using SecureFed.Aggregator.Storage;

namespace SecureFed.Aggregator.Http;

/// <summary>
/// Nonces seen within the replay window, per key, persisted (<see cref="NonceStore"/>): a request is accepted once,
/// across restarts too; its nonce is forgotten only after its timestamp has left the window, when the timestamp check
/// alone refuses it.
/// </summary>
internal sealed class NonceCache(NonceStore store)
{
    // Sweep expired entries every this many insertions: amortised O(1), the table bounded by rate limit x window.
    private const int SweepInterval = 4096;

    private int _insertions;

    /// <summary>Records the nonce; false when it was already used.</summary>
    public bool TryUse(string keyHex, string nonceHex, long timestampMs, long oldestValidMs)
    {
        if (Interlocked.Increment(ref _insertions) % SweepInterval == 0)
        {
            store.Forget(oldestValidMs);
        }
        return store.TryUse(Convert.FromHexString(keyHex + nonceHex), timestampMs);
    }
}
