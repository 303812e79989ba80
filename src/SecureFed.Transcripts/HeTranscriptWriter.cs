using SecureFed.HeProtocol.Configuration;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Messages;

namespace SecureFed.Transcripts;

/// <summary>
/// Writes the transcript of one HE round (protocol-spec/transcript.md, "HE rounds"): a header with scheme "he" and
/// the HeRoundConfiguration bytes, every accepted envelope (ClientToServer), every stage close (StageClosed) and every
/// server message per recipient (ServerToClient) in the order the server produced them, the result and the end record.
/// </summary>
public static class HeTranscriptWriter
{
    /// <summary>The header's Scheme value for HE rounds.</summary>
    public const string Scheme = "he";

    /// <summary>
    /// Writes the transcript to <paramref name="output"/>. <paramref name="messages"/> must be ClientToServer (an
    /// accepted HeEnvelope's exact bytes, Party = sender), StageClosed (empty bytes, Party 0, one per CloseStage call)
    /// or ServerToClient (the HeServerMessage union bytes as sent, Party = recipient, after the close that produced
    /// them). <paramref name="createdUtc"/> overrides the header's informational creation time (test vectors fix it).
    /// <paramref name="dp"/> is the round's distributed-DP plan when its clients added DP noise (the header's Dp record,
    /// from which `audit verify` recomputes <see cref="HeTranscriptResult.ClaimedEpsilon"/>).
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
        TranscriptChainWriter.WriteRound(output, aggregator, Scheme, MessageCodec.Encode(configuration), dp, createdUtc, messages, MessageCodec.Encode(result));
    }
}
