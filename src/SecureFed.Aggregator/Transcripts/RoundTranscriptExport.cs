using SecureFed.Aggregator.Http;
using SecureFed.Aggregator.Rounds;
using SecureFed.Aggregator.Protocols;
using SecureFed.Aggregator.Storage;
using SecureFed.Transcripts;
using SecureFed.Protocol.Hosting;
using SecureFed.Transport;

namespace SecureFed.Aggregator.Transcripts;

/// <summary>
/// Builds a finished round's transcript file from what the database holds: the configuration, every stored message
/// in storage order, and the outcome, written and signed in the scheme's format exactly as the simulator's. Messages
/// were stored in the same transaction as the state they changed, so a restarted service exports the same transcript.
/// </summary>
internal static class RoundTranscriptExport
{
    /// <summary>The transcript file; <paramref name="key"/> is asked for the signing key only when there is one to sign.</summary>
    /// <exception cref="AggregatorProblemException">404 when the round kept no transcript, 409 while it is running.</exception>
    public static byte[] Build(RoundRuntime rt, IHostedScheme scheme, RoundStore store, Func<TranscriptSigningKey> key)
    {
        ArgumentNullException.ThrowIfNull(rt);
        if (!rt.Transcript)
        {
            throw new AggregatorProblemException(ProblemCode.NoTranscript, $"round {rt.Id} was opened without transcripts (enable Aggregator:TranscriptsEnabled)");
        }
        RoundEnd end = rt.End ?? throw new AggregatorProblemException(ProblemCode.RoundRunning, $"round {rt.Id} is still running; its transcript is written when it ends");
        long openedAt = store.OpenedAtMs(rt.RoundId) ?? throw new AggregatorProblemException(ProblemCode.UnknownRound, $"no round {rt.Id}");
        var messages = store.TranscriptEntries(rt.RoundId)
            .Select(e => new RecordedMessage((TranscriptRecordKind)e.Kind, e.Party, Math.Max(0, e.AtMs - openedAt) * 1000, e.Payload))
            .ToList();
        using var file = new MemoryStream();
        scheme.WriteTranscript(file, rt.Server.Configuration, messages, end, key().Key, rt.Encoding?.Dp);
        return file.ToArray();
    }
}
