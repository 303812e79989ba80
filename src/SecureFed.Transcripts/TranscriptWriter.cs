using SecureFed.HeProtocol.Configuration;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;

namespace SecureFed.Transcripts;

/// <summary>
/// Writes a transcript (protocol-spec/transcript.md) of a masking or an HE round: the magic, a header record, one
/// record per message, the result and an end record; each record carries the previous record's hash and is signed by
/// the aggregator. The two schemes differ only in the header's scheme and configuration and in the result record.
/// </summary>
public static class TranscriptWriter
{
    /// <summary>
    /// Writes the transcript of one masking round to <paramref name="output"/>. <paramref name="createdUtc"/> overrides
    /// the header's informational creation time (test vectors fix it).
    /// </summary>
    public static void Write(Stream output, RoundConfiguration configuration, IReadOnlyList<RecordedMessage> messages,
        TranscriptResult result, DpRoundRecord? dp, IdentityKeyPair aggregator, string? createdUtc = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(aggregator);
        TranscriptChainWriter.WriteRound(output, aggregator, TranscriptHeader.MaskingScheme, MessageCodec.EncodeConfiguration(configuration), dp, createdUtc, messages, MessageCodec.Encode(result));
    }

    /// <summary>
    /// Writes the transcript of one HE round (transcript.md section 8: scheme "he", the HeRoundConfiguration bytes).
    /// <paramref name="messages"/> must be ClientToServer (an accepted HeEnvelope's exact bytes, Party = sender),
    /// StageClosed (empty bytes, Party 0, one per CloseStage call) or ServerToClient (the HeServerMessage union bytes as
    /// sent, Party = recipient, after the close that produced them). <paramref name="dp"/> is the round's distributed-DP
    /// plan when its clients added DP noise (the header's Dp record, from which `audit verify` recomputes
    /// <see cref="HeTranscriptResult.ClaimedEpsilon"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A message has another kind, or a StageClosed message carries bytes or a party.</exception>
    public static void Write(Stream output, HeRoundConfiguration configuration, IReadOnlyList<RecordedMessage> messages,
        HeTranscriptResult result, IdentityKeyPair aggregator, string? createdUtc = null, DpRoundRecord? dp = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(aggregator);
        for (int i = 0; i < messages.Count; i++)
        {
            RecordedMessage m = messages[i] ?? throw new ArgumentException($"messages[{i}] is null", nameof(messages));
            bool ok = m.Kind switch
            {
                TranscriptRecordKind.ClientToServer or TranscriptRecordKind.ServerToClient => m.Bytes is { Length: > 0 },
                TranscriptRecordKind.StageClosed => m.Bytes is { Length: 0 } && m.Party == 0,
                _ => false,
            };
            if (!ok)
            {
                throw new ArgumentException(
                    $"messages[{i}]: a {m.Kind} record with {m.Bytes?.Length ?? 0} bytes for party {m.Party} does not belong in an HE transcript " +
                    "(ClientToServer/ServerToClient need bytes; StageClosed needs none and party 0)", nameof(messages));
            }
        }
        TranscriptChainWriter.WriteRound(output, aggregator, TranscriptHeader.HeScheme, MessageCodec.Encode(configuration), dp, createdUtc, messages, MessageCodec.Encode(result));
    }
}
