using System.Globalization;
using System.Text;
using SecureFed.Transcripts;
using SecureFed.Audit.Verification;
using SecureFed.Privacy.Pipeline;
using SecureFed.Protocol.Messages;
using static SecureFed.Audit.Reporting.AuditReportWriter;

namespace SecureFed.Audit.Reporting;

// The sections of the audit report, each computed from the decoded transcript: Summary, Bytes and Privacy over any
// scheme's round (TranscriptRoundView); Timeline, Dropouts and Histograms of a masking round (HeReportSections holds
// the HE round's timeline and participation).
internal static class ReportSections
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // The round's summary table: the scheme's rows, then the aggregator key, when the transcript was written and the outcome.
    public static void Summary(StringBuilder html, TranscriptRoundView v)
    {
        html.Append("<h2>Round</h2>\n<table>\n");
        foreach (var (name, value) in v.SummaryRows)
        {
            html.Append(Inv, $"<tr><th>{name}</th><td>{value}</td></tr>\n");
        }
        html.Append(Inv, $"""
            <tr><th>aggregator key</th><td><code>{Convert.ToHexStringLower(v.Header.AggregatorKey)}</code></td></tr>
            <tr><th>transcript written</th><td>{E(v.Header.CreatedUtc)}</td></tr>
            <tr><th>outcome</th><td>{E(v.OutcomeText)}</td></tr>
            </table>

            """);
    }

    public static void Timeline(StringBuilder html, RoundView v)
    {
        var events = new List<TimelineEvent>();
        foreach (ClientMessage m in v.ClientMessages)
        {
            int stage = m.Envelope is null ? -1 : (int)m.Envelope.Stage;
            events.Add(new TimelineEvent(Ms(m.Record), m.Record.Body.Party, stage, true, m.Record.Payload.Length, $"R{stage}"));
        }
        foreach (ServerRecord s in v.ServerMessages)
        {
            int stage = s.Code == 4 ? 5 : s.Code;
            events.Add(new TimelineEvent(Ms(s.Record), s.Recipient, stage, false, s.Record.Payload.Length, $"S{s.Code}"));
        }
        html.Append("<h2>Timeline</h2>\n<p>Each stage: the clients' messages to the server, then the server's answer that closes it.</p>\n");
        if (events.Count > 0)
        {
            html.Append(Png(ReportPlots.Timeline(events), "timeline of messages per client and stage")).Append('\n');
        }
        html.Append("<table><tr><th>stage</th><th>clients sent</th><th>first / last client message (ms)</th><th>client bytes</th><th>server answer sent at (ms)</th><th>server bytes</th></tr>\n");
        for (int stage = 0; stage <= 4; stage++)
        {
            var sent = events.Where(e => e.FromClient && e.Stage == stage).ToList();
            var answers = events.Where(e => !e.FromClient && e.Stage == stage).ToList();
            if (sent.Count == 0 && answers.Count == 0)
            {
                continue;
            }
            string span = sent.Count == 0 ? "-" : $"{sent.Min(e => e.Milliseconds):F1} / {sent.Max(e => e.Milliseconds):F1}";
            string answer = answers.Count == 0 ? "-" : $"{answers.Min(e => e.Milliseconds):F1}";
            html.Append(Inv, $"<tr><td>{E(TimelineEvent.StageName(stage))}</td><td>{sent.Count}</td><td>{span}</td><td>{sent.Sum(e => (long)e.Bytes):N0}</td><td>{answer}</td><td>{answers.Sum(e => (long)e.Bytes):N0}</td></tr>\n");
        }
        html.Append("</table>\n");
    }

    public static void Bytes(StringBuilder html, TranscriptRoundView v)
    {
        var rows = v.ClientIds.Select(id => (id, v.BytesSentBy(id), v.BytesSentTo(id))).ToList();
        html.Append(Inv, $"<h2>Bytes per party</h2>\n<p>{v.PartiesNoun} sent {rows.Sum(r => r.Item2):N0} bytes in all; the server sent {rows.Sum(r => r.Item3):N0} bytes (wire encoding, as recorded).</p>\n");
        html.Append(Png(ReportPlots.BytesPerClient(rows), "bytes sent and received per client")).Append('\n');
    }

    public static void Dropouts(StringBuilder html, RoundView v)
    {
        var sets = new[] { v.U1, v.U2, v.U3, v.U4, v.U5 };
        var dropped = v.Parameters.ClientIds.Where(id => !v.U5.Contains(id)).ToList();
        html.Append(Inv, $"<h2>Dropouts</h2>\n<p>|U1| = {v.U1.Count}, |U2| = {v.U2.Count}, |U3| = {v.U3.Count} (survivors), |U4| = {v.U4.Count}, |U5| = {v.U5.Count}; t = {v.Parameters.Threshold}.</p>\n");
        if (dropped.Count == 0)
        {
            html.Append("<p>No client dropped out.</p>\n");
            return;
        }
        html.Append("<table><tr><th>client</th><th>last stage it completed</th><th>what the server did about it</th></tr>\n");
        foreach (uint id in dropped)
        {
            int last = Array.FindLastIndex(sets, s => s.Contains(id));
            string effect = last switch
            {
                -1 => "never advertised keys: not in the round",
                0 => "advertised keys but sent no shares: no masks with it, nothing to remove",
                1 => "shared keys but sent no masked input: its mask key was rebuilt and its pairwise masks removed; its input is not in the sum",
                _ => "its masked input is in the sum; it stopped before the end (its share holders covered for it)",
            };
            html.Append(Inv, $"<tr><td>{id}</td><td>{(last < 0 ? "none" : $"R{last}")}</td><td>{effect}</td></tr>\n");
        }
        html.Append("</table>\n");
    }

    public static void Histograms(StringBuilder html, AuditHistograms h)
    {
        html.Append("<h2>What the server saw</h2>\n<p>Histograms of the top 8 bits of every word. Masked inputs and ciphertexts should be flat " +
            "(uniform, no information); the plain inputs, known only from the auditor's key file, are not.</p>\n<div class=\"pair\">\n");
        if (h.Masked is { Enough: true } m)
        {
            html.Append(Png(ReportPlots.Histogram(m, "Masked inputs (server view)", "top 8 bits of the word"), "histogram of masked inputs"));
        }
        if (h.Plain is { Enough: true } p)
        {
            html.Append(Png(ReportPlots.Histogram(p, "Plain inputs (key file only)", "top 8 bits of the word"), "histogram of plain inputs"));
        }
        if (h.Ciphertexts is { Enough: true } ct)
        {
            html.Append(Png(ReportPlots.Histogram(ct, "Share-bundle ciphertexts (server view)", "byte value"), "histogram of ciphertext bytes"));
        }
        html.Append("</div>\n");
        foreach (var (name, r) in new[] { ("masked inputs", h.Masked), ("plain inputs", h.Plain), ("ciphertexts", h.Ciphertexts) })
        {
            if (r is not null)
            {
                html.Append(Inv, $"<p>{name}: {E(r.Describe())}</p>\n");
            }
        }
    }

    public static void Privacy(StringBuilder html, TranscriptRoundView v, DistributedDpPlan? plan)
    {
        html.Append("<h2>Privacy budget</h2>\n");
        if (plan is null || v.Outcome is not { Completed: true } r)
        {
            html.Append(v.Header.Dp is null ? "<p>This round had no distributed differential privacy.</p>\n" : "<p>No epsilon was spent: the round did not complete or its DP parameters are invalid.</p>\n");
            return;
        }
        int survivors = r.Summed.Count;
        int horizon = Math.Max(10, 2 * plan.Rounds);
        var points = Enumerable.Range(1, horizon).Select(k => (k, Project(plan, survivors, k).Epsilon)).ToList();
        html.Append(Inv, $"<p>{plan.Mechanism} noise, per-client variance {plan.NoiseVarianceNumerator}/{plan.NoiseVarianceDenominator} (integer grid, scale {plan.Scale:G4}), " +
            $"clip norm {plan.ClipNorm:G4}, delta {plan.Delta:G3}. This round summed {survivors} clients' noise and claims epsilon = {r.ClaimedEpsilon:G6}; " +
            $"the plan targets epsilon = {plan.TargetEpsilon:G4} over {plan.Rounds} round(s) with at least {plan.MinimumSurvivors} survivors.</p>\n");
        html.Append(Png(ReportPlots.PrivacyBudget(points, plan.TargetEpsilon, plan.Rounds), "privacy budget over rounds")).Append('\n');
    }

    private static double Ms(TranscriptRecord r) => r.Body.ElapsedMicroseconds / 1000.0;
}
