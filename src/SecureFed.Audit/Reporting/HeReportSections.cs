using System.Globalization;
using System.Text;
using SecureFed.Transcripts;
using SecureFed.Audit.Verification.He;
using SecureFed.HeProtocol.Messages;
using static SecureFed.Audit.Reporting.AuditReportWriter;

namespace SecureFed.Audit.Reporting;

// The report sections of an HE transcript of its own: timeline (stages H0..H3 and attempts) and participation; the
// summary, bytes and privacy sections are the shared ones (ReportSections).
internal static class HeReportSections
{
    private const int AbortStage = 4;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string StageName(int stage) => stage switch
    {
        0 => "H0 KeyAdvertisement / AdvertisementList",
        1 => "H1 KeyShares / KeyShareDelivery, CollectiveKeyAnnouncement",
        2 => "H2 Upload / DecryptionRequest",
        3 => "H3 DecryptionShare / HeRoundResult or retry",
        AbortStage => "HeAbortNotice",
        _ => "undecodable",
    };

    public static void Timeline(StringBuilder html, HeRoundView v)
    {
        var events = new List<TimelineEvent>();
        foreach (HeClientRecord m in v.ClientMessages)
        {
            int stage = m.Envelope is null ? -1 : (int)m.Envelope.Stage;
            events.Add(new TimelineEvent(Ms(m.Record), m.Sender, stage, true, m.Record.Payload.Length, $"H{stage}"));
        }
        foreach (HeServerRecord s in v.ServerMessages)
        {
            // Close k (1-based) ends H0, H1, H2, then one H3 attempt each.
            int stage = s.Message is null ? -1 : s.Message is HeAbortNotice ? AbortStage : Math.Clamp(s.Close - 1, 0, 3);
            events.Add(new TimelineEvent(Ms(s.Record), s.Recipient, stage, false, s.Record.Payload.Length, s.Message?.GetType().Name ?? "?"));
        }
        html.Append("<h2>Timeline</h2>\n<p>Each stage: the parties' envelopes to the server, then the messages the server sent when it closed the stage.</p>\n");
        if (events.Count > 0)
        {
            html.Append(Png(ReportPlots.Timeline(events, StageName), "timeline of messages per client and stage")).Append('\n');
        }
        html.Append("<table><tr><th>stage</th><th>envelopes</th><th>first / last envelope (ms)</th><th>envelope bytes</th><th>server messages</th><th>server bytes</th></tr>\n");
        for (int stage = -1; stage <= AbortStage; stage++)
        {
            var sent = events.Where(e => e.FromClient && e.Stage == stage).ToList();
            var answers = events.Where(e => !e.FromClient && e.Stage == stage).ToList();
            if (sent.Count == 0 && answers.Count == 0)
            {
                continue;
            }
            string span = sent.Count == 0 ? "-" : $"{sent.Min(e => e.Milliseconds):F1} / {sent.Max(e => e.Milliseconds):F1}";
            html.Append(Inv, $"<tr><td>{E(StageName(stage))}</td><td>{sent.Count}</td><td>{span}</td><td>{sent.Sum(e => (long)e.Bytes):N0}</td><td>{answers.Count}</td><td>{answers.Sum(e => (long)e.Bytes):N0}</td></tr>\n");
        }
        html.Append("</table>\n");
    }

    public static void Participation(StringBuilder html, HeRoundView v)
    {
        var c = v.Parameters.Configuration;
        var advertised = v.Valid(HeStage.KeyAdvertisement).Select(m => m.Sender).ToHashSet();
        var final = HeKeyChecks.FinalDecryptors(v).ToHashSet();
        var uploaded = v.Valid(HeStage.Upload).Select(m => m.Sender).ToHashSet();
        html.Append(Inv, $"<h2>Participation</h2>\n<p>{advertised.Count} of {c.Decryptors.Length} decryptors advertised, {final.Count} dealt their shares and hold the key; " +
            $"{uploaded.Count} of {v.Parameters.ClientIds.Count} clients uploaded. The server sees only ciphertexts, so this report draws no histograms.</p>\n");
        html.Append("<table><tr><th>attempt</th><th>participants (decryptor indices)</th><th>answered</th></tr>\n");
        var shares = v.Valid(HeStage.DecryptionShare).Select(m => (Sender: m.Sender, Attempt: ((DecryptionShareBody)m.Body!).Attempt)).ToList();
        foreach (var request in v.ServerMessagesOf<DecryptionRequestMessage>().Select(s => (DecryptionRequestMessage)s.Message!).DistinctBy(r => r.Attempt).OrderBy(r => r.Attempt))
        {
            var answered = shares.Where(s => s.Attempt == request.Attempt).Select(s => s.Sender).Order();
            html.Append(Inv, $"<tr><td>{request.Attempt}</td><td>{E(string.Join(", ", request.Participants ?? []))}</td><td>clients {E(string.Join(", ", answered))}</td></tr>\n");
        }
        html.Append("</table>\n");
        var missing = v.Parameters.ClientIds.Where(id => !uploaded.Contains(id)).ToList();
        html.Append(Inv, $"<p>Clients without an upload: {(missing.Count == 0 ? "none" : E(string.Join(", ", missing)))}.</p>\n");
    }

    private static double Ms(TranscriptRecord r) => r.Body.ElapsedMicroseconds / 1000.0;
}
