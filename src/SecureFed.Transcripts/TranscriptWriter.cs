using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;

namespace SecureFed.Transcripts;

/// <summary>
/// Writes a transcript (protocol-spec/transcript.md): the magic, a header record, one record per message, the result
/// and an end record; each record carries the previous record's hash and is signed by the aggregator.
/// </summary>
public static class TranscriptWriter
{
    /// <summary>
    /// Writes the transcript of one round to <paramref name="output"/>. <paramref name="createdUtc"/> overrides the
    /// header's informational creation time (test vectors fix it).
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
}
