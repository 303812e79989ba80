using System.Globalization;
using System.Text;
using SecureFed.Audit.Verification;
using SecureFed.Privacy.Pipeline;
using static SecureFed.Audit.Reporting.AuditReportWriter;

namespace SecureFed.Audit.Reporting;

// The sections of the audit report, each computed from the decoded transcript and written once for every scheme's round
// (TranscriptRoundView): Summary, Timeline, Bytes, Participation and Privacy; the scheme's view supplies its rows, stage
// names and participation table. Histograms show what the server saw of a masking round (HE: ciphertexts only, none).
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

    // The timeline of any scheme's round: its messages plotted per party and stage, then one table row per stage.
    public static void Timeline(StringBuilder html, TranscriptRoundView v)
    {
        RoundTimeline t = v.Timeline();
        html.Append(Inv, $"<h2>Timeline</h2>\n<p>{t.Intro}</p>\n");
        if (t.Events.Count > 0)
        {
            html.Append(Png(ReportPlots.Timeline(t.Events, t.StageName), "timeline of messages per client and stage")).Append('\n');
        }
        html.Append("<table><tr>").AppendJoin("", t.Columns.Select(c => $"<th>{c}</th>")).Append("</tr>\n");
        for (int stage = t.FirstStage; stage <= t.LastStage; stage++)
        {
            var sent = t.Events.Where(e => e.FromClient && e.Stage == stage).ToList();
            var answers = t.Events.Where(e => !e.FromClient && e.Stage == stage).ToList();
            if (sent.Count == 0 && answers.Count == 0)
            {
                continue;
            }
            string span = sent.Count == 0 ? "-" : $"{sent.Min(e => e.Milliseconds):F1} / {sent.Max(e => e.Milliseconds):F1}";
            string answer = t.CountAnswers ? answers.Count.ToString(Inv) : answers.Count == 0 ? "-" : $"{answers.Min(e => e.Milliseconds):F1}";
            html.Append(Inv, $"<tr><td>{E(t.StageName(stage))}</td><td>{sent.Count}</td><td>{span}</td><td>{sent.Sum(e => (long)e.Bytes):N0}</td><td>{answer}</td><td>{answers.Sum(e => (long)e.Bytes):N0}</td></tr>\n");
        }
        html.Append("</table>\n");
    }

    public static void Bytes(StringBuilder html, TranscriptRoundView v)
    {
        var rows = v.ClientIds.Select(id => (id, v.BytesSentBy(id), v.BytesSentTo(id))).ToList();
        html.Append(Inv, $"<h2>Bytes per party</h2>\n<p>{v.PartiesNoun} sent {rows.Sum(r => r.Item2):N0} bytes in all; the server sent {rows.Sum(r => r.Item3):N0} bytes (wire encoding, as recorded).</p>\n");
        html.Append(Png(ReportPlots.BytesPerClient(rows), "bytes sent and received per client")).Append('\n');
    }

    // Who took part (masking: dropouts; HE: decryptors, uploads and decryption attempts), as the view tabulates it.
    public static void Participation(StringBuilder html, TranscriptRoundView v)
    {
        ParticipationTable p = v.Participation();
        html.Append(Inv, $"<h2>{p.Title}</h2>\n<p>{p.Lead}</p>\n");
        if (p.Columns is { } columns)
        {
            html.Append("<table><tr>").AppendJoin("", columns.Select(c => $"<th>{c}</th>")).Append("</tr>\n");
            foreach (string[] row in p.Rows)
            {
                html.Append("<tr>").AppendJoin("", row.Select(c => $"<td>{c}</td>")).Append("</tr>\n");
            }
            html.Append("</table>\n");
        }
        if (p.Tail is { } tail)
        {
            html.Append(Inv, $"<p>{tail}</p>\n");
        }
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

}
