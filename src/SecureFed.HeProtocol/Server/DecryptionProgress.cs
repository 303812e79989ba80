namespace SecureFed.HeProtocol.Server;

/// <summary>
/// What the server knows about decryption so far, carried from one H3 attempt to the next (he.md 10.7): shares each
/// decryptor has given for this aggregate (at most MaxDecryptionAttempts, the decryptors' own rule), who failed to
/// answer, every set asked (a decryptor never answers a set twice), and the sums of complete sets, in order.
/// Chooses the next set deterministically, so a replayed server asks the same ones.
/// </summary>
internal sealed class DecryptionProgress
{
    private readonly int[] _decryptors;
    private readonly int _threshold;
    private readonly int _maxAnswers;
    private readonly Dictionary<int, int> _answers = [];
    private readonly HashSet<int> _unresponsive = [];
    private readonly List<int[]> _asked = [];

    public DecryptionProgress(int[] decryptors, int threshold, int maxAnswers)
    {
        _decryptors = decryptors;
        _threshold = threshold;
        _maxAnswers = maxAnswers;
    }

    /// <summary>Complete sets and the sum each decrypted to, in the order they completed.</summary>
    public List<(int[] Set, ulong[] Sum)> Results { get; } = [];

    public void Asked(int[] set) => _asked.Add(set);

    public void Answered(int decryptor) => _answers[decryptor] = _answers.GetValueOrDefault(decryptor) + 1;

    public void Unresponsive(IEnumerable<int> decryptors) => _unresponsive.UnionWith(decryptors);

    /// <summary>Decryptor indices that failed to answer a request, ascending.</summary>
    public IEnumerable<int> UnresponsiveDecryptors => _unresponsive.Order();

    /// <summary>
    /// The first threshold-sized set of eligible decryptors (responsive, with answers left) in the order of
    /// <paramref name="preference"/> (lower first, then index), restricted to <paramref name="allowed"/>; null when
    /// there are too few or the set was asked before.
    /// </summary>
    public int[]? Pick(Func<int, int> preference, Func<int, bool>? allowed = null)
    {
        var set = _decryptors
            .Where(j => !_unresponsive.Contains(j) && _answers.GetValueOrDefault(j) < _maxAnswers && (allowed?.Invoke(j) ?? true))
            .OrderBy(preference).ThenBy(j => j)
            .Take(_threshold).Order().ToArray();
        return set.Length == _threshold && !_asked.Any(a => a.SequenceEqual(set)) ? set : null;
    }
}
