using SecureFed.Protocol.Hosting;
using SecureFed.Transcripts;

namespace SecureFed.Aggregator.Storage;

/// <summary>
/// One message of a round's transcript as stored: kind (the transcript's record kind: 1 client to server, 2 server to
/// client), the client at the other end, the service's clock in Unix milliseconds, and the wire bytes.
/// </summary>
internal sealed record TranscriptEntry(int Kind, uint Party, long AtMs, byte[] Payload)
{
    /// <summary>A message the service received from <paramref name="client"/>.</summary>
    public static TranscriptEntry FromClient(uint client, long atMs, byte[] bytes) =>
        new((int)TranscriptRecordKind.ClientToServer, client, atMs, bytes);

    /// <summary>One server-to-client entry per recipient, ascending, each with the bytes the recipient's poll returns.</summary>
    public static IEnumerable<TranscriptEntry> ToRecipients(IEnumerable<uint> recipients, long atMs, byte[] bytes) =>
        recipients.Order().Select(r => new TranscriptEntry((int)TranscriptRecordKind.ServerToClient, r, atMs, bytes));

    /// <summary>
    /// A close's entries: a stage-closed marker first when <paramref name="recordsClose"/> (the scheme's transcript
    /// records closes), then every sent message once per recipient.
    /// </summary>
    public static List<TranscriptEntry> OfClose(bool recordsClose, IReadOnlyList<SentMessage> sent, long atMs)
    {
        List<TranscriptEntry> entries = recordsClose ? [new TranscriptEntry((int)TranscriptRecordKind.StageClosed, 0, atMs, [])] : [];
        entries.AddRange(sent.SelectMany(m => ToRecipients(m.Recipients, atMs, m.Bytes)));
        return entries;
    }
}
