using System.Security.Cryptography;
using SecureFed.Transcripts;
using SecureFed.HeProtocol.Server;
using SecureFed.Protocol.Messages;

namespace SecureFed.Audit.Verification.He;

// he.server-messages and he.replay: feeds the recorded server log (ClientToServer and StageClosed records, in order)
// through the server state machine exactly as HeServer.Replay does, one entry at a time so that each close's outgoing
// messages can be compared with the ServerToClient records after it, and compares the final state with the Result.
internal static class HeReplayCheck
{
    public const string ServerMessagesId = "he.server-messages";
    public const string ReplayId = "he.replay";
    private const string ServerMessagesText = "the ServerToClient records after each StageClosed are exactly the messages the server's rules produce at that close " +
        "(same recipients, same bytes), and none appears elsewhere";
    private const string ReplayText = "replaying the recorded server log (every envelope accepted, every close, as HeServer.Replay) ends in a terminal state " +
        "whose result (sum, contributors, attempts; or abort reason and detail) is the published one: every server rule, the aggregate and the decryption re-run";

    public static void Run(HeRoundView v, List<AuditCheck> checks)
    {
        HeServerState state = HeServer.Start(v.Parameters);
        string? messageProblem = null, replayProblem = null;
        var recorded = v.ServerMessages.ToLookup(s => s.Close);
        if (recorded[0].FirstOrDefault() is { } early)
        {
            messageProblem = $"record {early.Index}: a server message before the first stage close";
        }
        int close = 0, logEntries = 0;
        foreach (TranscriptRecord r in v.Records)
        {
            if (r.Kind == TranscriptRecordKind.ClientToServer)
            {
                HeServerTransition t = state.HandleBytes(r.Payload);
                if (t.Rejection is { } rejection)
                {
                    replayProblem = $"record {r.Body.Sequence} (from client {r.Body.Party}) is refused by the server's rules in state {state.Name}: {rejection.Reason}: {rejection.Detail}";
                    break;
                }
                logEntries++;
            }
            else if (r.Kind == TranscriptRecordKind.StageClosed)
            {
                if (state.IsTerminal)
                {
                    replayProblem = $"record {r.Body.Sequence}: a stage close after the round ended ({state.Name})";
                    break;
                }
                HeServerTransition t = state.CloseStage();
                state = t.Next;
                close++;
                logEntries++;
                // Compared by SHA-256 so large requests are hashed once, not held twice as text.
                var expected = t.Outgoing.SelectMany(o =>
                {
                    string digest = Digest(MessageCodec.Encode(o.Message));
                    return o.Recipients.Select(id => (id, digest));
                }).Order().ToList();
                var actual = recorded[close].Select(s => (s.Recipient, Digest(s.Record.Payload))).Order().ToList();
                if (messageProblem is null && !expected.SequenceEqual(actual))
                {
                    messageProblem = $"close {close} (record {r.Body.Sequence}): the {actual.Count} recorded message(s) are not the {expected.Count} the server's rules send" +
                        $"{FirstDifference(expected, actual)}";
                }
            }
        }
        if (replayProblem is null && recorded.Any(g => g.Key > close) && messageProblem is null)
        {
            messageProblem = "server messages recorded after a close that the replay never reached";
        }
        checks.Add(messageProblem is null
            ? AuditCheck.Pass(ServerMessagesId, ServerMessagesText, $"{v.ServerMessages.Count} server messages at {close} stage closes, byte for byte as the rules produce them")
            : AuditCheck.Fail(ServerMessagesId, ServerMessagesText, messageProblem));
        checks.Add(replayProblem is not null
            ? AuditCheck.Fail(ReplayId, ReplayText, replayProblem)
            : Compare(state, v.Result, v.ResultProblem, logEntries));
    }

    private static AuditCheck Compare(HeServerState state, HeTranscriptResult? published, string resultProblem, int entries)
    {
        if (published is null)
        {
            return AuditCheck.Fail(ReplayId, ReplayText, $"no published result to compare with ({resultProblem})");
        }
        // An operator's abort is the host's decision, not a protocol rule, so the log simply stops: the replay must
        // then still be running (a round the rules had already ended cannot be aborted afterwards).
        if (!published.Completed && published.AbortReason == (int)HeProtocol.Messages.HeAbortReason.OperatorAborted)
        {
            return AuditCheck.From(ReplayId, ReplayText, !state.IsTerminal,
                $"{entries} log entries replayed, every one accepted; the operator aborted the round in {state.Name} ({published.AbortDetail})",
                $"the result says the operator aborted the round, but the recorded log already ends it by the rules ({state.Name})");
        }
        HeTranscriptResult replayed;
        try
        {
            replayed = HeTranscriptResult.From(state, published.Attempts);
        }
        catch (ArgumentException)
        {
            return AuditCheck.Fail(ReplayId, ReplayText, $"the replayed server stops in state {state.Name}, not at the end of the round");
        }
        if (replayed.Completed != published.Completed)
        {
            return AuditCheck.Fail(ReplayId, ReplayText, $"the replayed round {(replayed.Completed ? "completed" : $"aborted ({replayed.AbortDetail})")}, the published result says the opposite");
        }
        if (!replayed.Completed)
        {
            bool same = replayed.AbortReason == published.AbortReason && replayed.AbortDetail == published.AbortDetail;
            return AuditCheck.From(ReplayId, ReplayText, same,
                $"{entries} log entries replayed; the round aborts with reason {replayed.AbortReason} ({replayed.AbortDetail}), as published",
                $"the replayed abort (reason {replayed.AbortReason}: {replayed.AbortDetail}) is not the published one (reason {published.AbortReason}: {published.AbortDetail})");
        }
        if (!replayed.Contributors.SequenceEqual(published.Contributors ?? []))
        {
            return AuditCheck.Fail(ReplayId, ReplayText, $"the replayed sum contains {replayed.Contributors.Length} clients, the published result names {published.Contributors?.Length ?? 0} others");
        }
        if (!replayed.Sum.AsSpan().SequenceEqual(published.Sum))
        {
            return AuditCheck.Fail(ReplayId, ReplayText, "the replayed decryption gives a different sum than the published one");
        }
        if (replayed.Attempts != published.Attempts)
        {
            return AuditCheck.Fail(ReplayId, ReplayText, $"the replay used {replayed.Attempts} decryption attempt(s), the result claims {published.Attempts}");
        }
        if (replayed.Check != published.Check || !replayed.ExcludedDecryptors.SequenceEqual(published.ExcludedDecryptors ?? []))
        {
            return AuditCheck.Fail(ReplayId, ReplayText,
                $"the replayed decryption check is {(HeProtocol.Messages.HeDecryptionCheck)replayed.Check} excluding [{string.Join(",", replayed.ExcludedDecryptors)}], the result claims {(HeProtocol.Messages.HeDecryptionCheck)published.Check} excluding [{string.Join(",", published.ExcludedDecryptors ?? [])}]");
        }
        return AuditCheck.Pass(ReplayId, ReplayText,
            $"{entries} log entries replayed; the decrypted sum of {replayed.Contributors.Length} contributors after {replayed.Attempts} attempt(s) equals the published sum; " +
            $"decryption check recomputed: {Describe((HeProtocol.Messages.HeDecryptionCheck)replayed.Check, replayed.ExcludedDecryptors)}");
    }

    private static string Describe(HeProtocol.Messages.HeDecryptionCheck check, uint[] excluded) => check switch
    {
        HeProtocol.Messages.HeDecryptionCheck.SecondSubset => "SecondSubset (a second decryptor set decrypted the same sum)",
        HeProtocol.Messages.HeDecryptionCheck.OverlappingSubset => "OverlappingSubset (a second decryptor set decrypted the same sum, but it shares decryptors with the first, " +
            "and a bad share from one of those would shift both sums alike)",
        HeProtocol.Messages.HeDecryptionCheck.Elimination => $"Elimination (two sets disagreed, a deciding set outvoted one; excluded decryptors [{string.Join(",", excluded)}])",
        _ => "Unverified (only one threshold-sized set answered; a bad share there would go unnoticed)",
    };

    private static string Digest(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string FirstDifference(List<(uint Id, string Hex)> expected, List<(uint Id, string Hex)> actual)
    {
        var missing = expected.Except(actual).FirstOrDefault();
        if (missing != default)
        {
            return $"; e.g. the message for client {missing.Id} is missing or different";
        }
        var extra = actual.Except(expected).FirstOrDefault();
        return extra == default ? "" : $"; e.g. an extra or altered message to client {extra.Id}";
    }
}
