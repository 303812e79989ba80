using SecureFed.Aggregator.Http;
using SecureFed.Aggregator.Storage;
using SecureFed.Aggregator.Transcripts;
using SecureFed.Audit.Transcripts;

namespace SecureFed.Aggregator.HeRounds;

/// <summary>
/// Builds a finished HE round's transcript with <see cref="HeTranscriptWriter"/> from what the database holds: every
/// accepted envelope, stage close and server message per recipient in storage order, and the outcome. They were
/// stored in the same transaction as the state they changed, so a restarted service exports the same transcript.
/// </summary>
internal static class HeRoundTranscriptExport
{
    /// <exception cref="AggregatorProblemException">404 when the round kept no transcript, 409 while it is running.</exception>
    public static byte[] Build(HeRoundRuntime rt, HeRoundStore store, Func<TranscriptSigningKey> key)
    {
        ArgumentNullException.ThrowIfNull(rt);
        if (!rt.Transcript)
        {
            throw new AggregatorProblemException(404, "no-transcript", $"round {rt.Id} was opened without transcripts (enable Aggregator:TranscriptsEnabled)");
        }
        HeTranscriptResult result = ResultOf(rt) ?? throw new AggregatorProblemException(409, "round-running", $"round {rt.Id} is still running; its transcript is written when it ends");
        long openedAt = store.OpenedAtMs(rt.RoundId) ?? throw new AggregatorProblemException(404, "unknown-round", $"no round {rt.Id}");
        var messages = store.TranscriptEntries(rt.RoundId)
            .Select(e => new RecordedMessage((TranscriptRecordKind)e.Kind, e.Party, Math.Max(0, e.AtMs - openedAt) * 1000, e.Payload))
            .ToList();
        using var file = new MemoryStream();
        HeTranscriptWriter.Write(file, rt.Parameters.Configuration, messages, result, key().Key);
        return file.ToArray();
    }

    private static HeTranscriptResult? ResultOf(HeRoundRuntime rt)
    {
        if (rt.AbortNotice is { } notice)
        {
            return new HeTranscriptResult { Completed = false, AbortReason = (int)notice.Reason, AbortDetail = notice.Detail ?? "", Attempts = rt.Attempts ?? 0 };
        }
        if (rt.Result is { } r)
        {
            return new HeTranscriptResult { Completed = true, Sum = HeTranscriptResult.EncodeSum(r.Sum), Contributors = [.. r.Contributors], Attempts = rt.Attempts ?? 1 };
        }
        return null;
    }
}
