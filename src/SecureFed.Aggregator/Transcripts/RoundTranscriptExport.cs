using SecureFed.Aggregator.Http;
using SecureFed.Aggregator.Rounds;
using SecureFed.Aggregator.Storage;
using SecureFed.Audit.Transcripts;
using SecureFed.Primitives.Vectors;

namespace SecureFed.Aggregator.Transcripts;

/// <summary>
/// Builds a finished round's transcript file from what the database holds: the configuration, every stored message
/// in storage order, and the outcome, written and signed by <see cref="TranscriptWriter"/> exactly as the simulator's.
/// Messages were stored in the same transaction as the state they changed, so a restarted service exports the same
/// messages it would have without the restart.
/// </summary>
internal static class RoundTranscriptExport
{
    /// <summary>The transcript file; <paramref name="key"/> is asked for the signing key only when there is one to sign.</summary>
    /// <exception cref="AggregatorProblemException">404 when the round kept no transcript, 409 while it is running.</exception>
    public static byte[] Build(RoundRuntime rt, RoundStore store, Func<TranscriptSigningKey> key)
    {
        ArgumentNullException.ThrowIfNull(rt);
        if (!rt.Transcript)
        {
            throw new AggregatorProblemException(404, "no-transcript", $"round {rt.Id} was opened without transcripts (enable Aggregator:TranscriptsEnabled)");
        }
        TranscriptResult result = ResultOf(rt) ?? throw new AggregatorProblemException(409, "round-running", $"round {rt.Id} is still running; its transcript is written when it ends");
        long openedAt = store.OpenedAtMs(rt.RoundId) ?? throw new AggregatorProblemException(404, "unknown-round", $"no round {rt.Id}");
        var messages = store.TranscriptEntries(rt.RoundId)
            .Select(e => new RecordedMessage((TranscriptRecordKind)e.Kind, e.Party, Math.Max(0, e.AtMs - openedAt) * 1000, e.Payload))
            .ToList();
        using var file = new MemoryStream();
        TranscriptWriter.Write(file, rt.Parameters.Configuration, messages, result, dp: null, key().Key);
        return file.ToArray();
    }

    // The published outcome, or null while the round runs. The service runs no DP, so it claims no epsilon (NaN).
    private static TranscriptResult? ResultOf(RoundRuntime rt)
    {
        if (rt.AbortNotice is { } notice)
        {
            return new TranscriptResult { Completed = false, AbortReason = (int)notice.Reason, AbortDetail = notice.Detail ?? "" };
        }
        if (rt.Sums is { } sums)
        {
            return new TranscriptResult
            {
                Completed = true,
                Sums = [.. sums.Select((sum, j) => ModularArithmetic.Encode(sum, rt.Parameters.Vectors[j].Bits))],
                Survivors = [.. rt.Survivors ?? []],
                Dropped = [.. rt.Dropped ?? []],
            };
        }
        return null;
    }
}
