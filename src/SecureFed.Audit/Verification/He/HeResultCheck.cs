using SecureFed.Transcripts;
using SecureFed.HeProtocol.Messages;
using SecureFed.Primitives.Vectors;

namespace SecureFed.Audit.Verification.He;

// he.contributors: the published result is the one broadcast, its contributors are the clients the decryption
// requests opened (at least MinimumClients), and the sum has VectorLength values mod 2^Bits.
internal static class HeResultCheck
{
    public const string Id = "he.contributors";
    private const string Text = "the Result record decodes; when completed: the HeRoundResult broadcast to every roster client is byte-identical and equals it, " +
        "its contributors are exactly the uploads the decryption requests opened (>= MinimumClients), the sum has VectorLength values below 2^Bits, " +
        "and Attempts is the number of requests made";

    public static AuditCheck Run(HeRoundView v, IReadOnlyList<uint>? opened, int attempts)
    {
        if (v.Result is not { } r)
        {
            return AuditCheck.Fail(Id, Text, v.ResultProblem);
        }
        var broadcasts = v.ServerMessagesOf<HeRoundResult>().ToList();
        if (!r.Completed)
        {
            return broadcasts.Count == 0
                ? AuditCheck.Skip(Id, Text, $"the round aborted (reason {r.AbortReason}: {r.AbortDetail}); no sum was published")
                : AuditCheck.Fail(Id, Text, "the result says the round aborted, yet a sum was broadcast");
        }
        var c = v.Parameters.Configuration;
        if (broadcasts.Count == 0 || broadcasts.Any(b => !b.Record.Payload.AsSpan().SequenceEqual(broadcasts[0].Record.Payload))
            || !broadcasts.Select(b => b.Recipient).Order().SequenceEqual(v.Parameters.ClientIds))
        {
            return AuditCheck.Fail(Id, Text, "the sum was not broadcast once, identically, to every roster client");
        }
        var sent = (HeRoundResult)broadcasts[0].Message!;
        ulong[] sum;
        try
        {
            sum = r.DecodeSum();
        }
        catch (TranscriptFormatException e)
        {
            return AuditCheck.Fail(Id, Text, e.Message);
        }
        if (!sum.AsSpan().SequenceEqual(sent.Sum ?? []) || !r.Contributors.SequenceEqual(sent.Contributors ?? [])
            || r.Check != (int)sent.Check || !(r.ExcludedDecryptors ?? []).SequenceEqual(sent.ExcludedDecryptors ?? []))
        {
            return AuditCheck.Fail(Id, Text, "the published result differs from the HeRoundResult broadcast to the clients");
        }
        if (sum.Length != c.VectorLength || sum.Any(x => x > ModularArithmetic.Mask(c.Bits)))
        {
            return AuditCheck.Fail(Id, Text, $"the sum has {sum.Length} values (expected {c.VectorLength}) or a value of {c.Bits}+ bits");
        }
        if (opened is null || !r.Contributors.SequenceEqual(opened))
        {
            return AuditCheck.Fail(Id, Text, opened is null
                ? "there is no consistent decryption request to compare the contributors with (see he.decryption-requests)"
                : $"the result names {r.Contributors.Length} contributors, but the decryption requests opened {opened.Count} uploads (other clients)");
        }
        if (r.Contributors.Length < c.MinimumClients)
        {
            return AuditCheck.Fail(Id, Text, $"{r.Contributors.Length} contributors, fewer than MinimumClients = {c.MinimumClients}");
        }
        if (r.Attempts != attempts)
        {
            return AuditCheck.Fail(Id, Text, $"the result claims {r.Attempts} attempt(s), {attempts} request(s) were made");
        }
        return AuditCheck.Pass(Id, Text, $"{r.Contributors.Length} contributors (MinimumClients {c.MinimumClients}), {sum.Length} values, broadcast to {broadcasts.Count} clients; decryption check: {(HeDecryptionCheck)r.Check}");
    }
}
