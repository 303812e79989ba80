using SecureFed.HeProtocol.Messages;

namespace SecureFed.Audit.Verification.He;

// he.decryption-check: which check against bad decryption shares the published sum passed (he.md 10.7), with the
// decryptor sets the requests named. Whether the claim is right is he.replay's job (it recomputes the check);
// this line says what was checked, and SKIPs an unverified sum, which no second set of decryptors confirmed.
internal static class HeDecryptionCheckLine
{
    public const string Id = "he.decryption-check";
    private const string Text = "which check the published sum passed against bad decryption shares: a second decryptor set, disjoint from the first " +
        "or sharing decryptors with it (named: their shares went unchecked), decrypted the same sum, " +
        "or a deciding set outvoted a disagreeing one and its decryptors were excluded; SKIP when exactly one set could answer (unverified)";

    public static AuditCheck Run(HeRoundView v)
    {
        if (v.Result is not { } r)
        {
            return AuditCheck.Fail(Id, Text, v.ResultProblem);
        }
        string sets = "decryptor indices " + string.Join(", ", v.ServerMessagesOf<DecryptionRequestMessage>()
            .Select(s => (DecryptionRequestMessage)s.Message!).DistinctBy(m => m.Attempt)
            .Select(m => $"attempt {m.Attempt}: [{string.Join(",", m.Participants ?? [])}]"));
        if (!r.Completed)
        {
            return AuditCheck.Skip(Id, Text, r.AbortReason == (int)HeAbortReason.SharesDisagree
                ? $"decryptor sets decrypted different sums and none could decide ({sets}); nothing was published"
                : $"the round aborted (reason {r.AbortReason}); no sum was published");
        }
        return (HeDecryptionCheck)r.Check switch
        {
            HeDecryptionCheck.SecondSubset => AuditCheck.Pass(Id, Text, $"second subset: two decryptor sets decrypted the same sum ({sets})"),
            HeDecryptionCheck.OverlappingSubset => AuditCheck.Pass(Id, Text,
                $"overlapping subset: two decryptor sets decrypted the same sum ({sets}) but share {Shared(v)}; " +
                "a bad share from a shared decryptor would shift both sums alike, so only the others were checked"),
            HeDecryptionCheck.Elimination => AuditCheck.Pass(Id, Text,
                $"elimination: two sets disagreed and a deciding set outvoted one ({sets}); excluded decryptors [{string.Join(",", r.ExcludedDecryptors ?? [])}]"),
            HeDecryptionCheck.Unverified => AuditCheck.Skip(Id, Text,
                $"unverified: only one set of t = {v.Parameters.Threshold} decryptors decrypted the sum ({sets}); no second set checked it, so a wrong share among them would have gone unnoticed"),
            _ => AuditCheck.Fail(Id, Text, $"unknown decryption check {r.Check}"),
        };
    }

    // The decryptors in both the first set whose every member sent a share (the sum) and the last such set (its
    // confirmation), as the recorded shares show them; he.replay checks that these sets give the claimed label.
    private static string Shared(HeRoundView v)
    {
        var complete = v.ServerMessagesOf<DecryptionRequestMessage>()
            .Select(s => (DecryptionRequestMessage)s.Message!).DistinctBy(m => m.Attempt)
            .Where(m => (m.Participants ?? []).All(j => v.Valid(HeStage.DecryptionShare).Any(s =>
                ((DecryptionShareBody)s.Body!).Attempt == m.Attempt && s.Sender == v.Parameters.DecryptorIds[j - 1])))
            .Select(m => m.Participants ?? []).ToList();
        if (complete.Count < 2)
        {
            return "decryptors the recorded shares do not show";
        }
        var shared = complete[0].Intersect(complete[^1]).Select(j => v.Parameters.DecryptorIds[j - 1]).Order().ToList();
        return $"{shared.Count} decryptor(s) (client ids [{string.Join(",", shared)}])";
    }
}
