using SecureFed.Audit.Keys;
using SecureFed.Primitives.Vectors;

namespace SecureFed.Audit.Verification.He;

// keys.round and keys.sum for an HE round: the key file belongs to this round, and the published sum is the sum of
// the contributors' plaintext inputs mod 2^Bits.
internal static class HeKeyFileChecks
{
    private const string RoundText = "the key file's configurationHash is this round's H and it holds VectorLength inputs for every contributor";
    private const string SumText = "the published sum equals the sum over the result's contributors of their plaintext inputs mod 2^Bits";

    public static void Run(HeRoundView v, HeAuditKeyFile keys, List<AuditCheck> checks)
    {
        var c = v.Parameters.Configuration;
        if (!keys.ConfigurationHash.AsSpan().SequenceEqual(v.Parameters.ConfigurationHash.Span))
        {
            checks.Add(AuditCheck.Fail("keys.round", RoundText, "the key file belongs to another round (configuration hash differs)"));
            checks.Add(AuditCheck.Skip("keys.sum", SumText, "the key file is not this round's"));
            return;
        }
        uint[] contributors = v.Result is { Completed: true } r ? r.Contributors : [];
        var missing = contributors.Where(id => !keys.Inputs.TryGetValue(id, out ulong[]? x) || x.Length != c.VectorLength).ToList();
        if (missing.Count > 0)
        {
            checks.Add(AuditCheck.Fail("keys.round", RoundText, $"no input of {c.VectorLength} values for contributor(s) {string.Join(",", missing.Take(10))}"));
            checks.Add(AuditCheck.Skip("keys.sum", SumText, "inputs missing"));
            return;
        }
        checks.Add(AuditCheck.Pass("keys.round", RoundText, $"configuration hash matches; inputs of {keys.Inputs.Count} clients"));
        if (v.Result is not { Completed: true } done)
        {
            checks.Add(AuditCheck.Skip("keys.sum", SumText, "the round did not complete"));
            return;
        }
        var expected = new ulong[c.VectorLength];
        foreach (uint id in contributors)
        {
            ModularArithmetic.AddInPlace(expected, keys.Inputs[id], c.Bits);
        }
        ulong[] published;
        try
        {
            published = done.DecodeSum();
        }
        catch (SecureFed.Transcripts.TranscriptFormatException e)
        {
            checks.Add(AuditCheck.Fail("keys.sum", SumText, e.Message));
            return;
        }
        int first = published.Length != expected.Length ? 0 : published.AsSpan().CommonPrefixLength(expected);
        checks.Add(first == expected.Length && published.Length == expected.Length
            ? AuditCheck.Pass("keys.sum", SumText, $"{expected.Length} values of the sum of {contributors.Length} contributors' inputs match")
            : AuditCheck.Fail("keys.sum", SumText, $"the published sum differs from the inputs' sum (first at value {first})"));
    }
}
