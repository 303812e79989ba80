using ScottPlot;
using SecureFed.Audit.Verification;

namespace SecureFed.Audit.Reporting;

// The report's figures as PNG bytes, drawn with ScottPlot 5 (text needs a system font: Debian fonts-dejavu-core).
internal static class ReportPlots
{
    private const int Width = 900;
    private const int Height = 380;

    // One point per message: x = milliseconds since the round started, y = the client, one colour per stage
    // (named by stageName: the masking stages unless an HE report passes its own).
    public static byte[] Timeline(IReadOnlyList<TimelineEvent> events, Func<int, string>? stageName = null)
    {
        stageName ??= TimelineEvent.StageName;
        var plot = new Plot();
        foreach (var group in events.GroupBy(e => e.Stage).OrderBy(g => g.Key))
        {
            double[] xs = [.. group.Select(e => e.Milliseconds)];
            double[] ys = [.. group.Select(e => (double)e.Client + (e.FromClient ? 0.15 : -0.15))];
            var points = plot.Add.ScatterPoints(xs, ys);
            points.MarkerSize = 5;
            points.LegendText = stageName(group.Key);
        }
        plot.Title("Who sent what, when (upper dot: client to server; lower dot: server to client)");
        plot.XLabel("milliseconds since the round started");
        plot.YLabel("client id");
        plot.ShowLegend(Edge.Bottom);
        return plot.GetImageBytes(Width, Height + 60, ImageFormat.Png);
    }

    public static byte[] BytesPerClient(IReadOnlyList<(uint Client, long Sent, long Received)> rows)
    {
        var plot = new Plot();
        double[] positions = [.. rows.Select(r => (double)r.Client)];
        var sent = plot.Add.Bars(positions.Select(p => p - 0.2).ToArray(), rows.Select(r => r.Sent / 1024.0).ToArray());
        sent.LegendText = "sent by the client (KiB)";
        foreach (var b in sent.Bars)
        {
            b.Size = 0.4;
        }
        var received = plot.Add.Bars(positions.Select(p => p + 0.2).ToArray(), rows.Select(r => r.Received / 1024.0).ToArray());
        received.LegendText = "received from the server (KiB)";
        foreach (var b in received.Bars)
        {
            b.Size = 0.4;
        }
        plot.Title("Bytes per party");
        plot.XLabel("client id");
        plot.YLabel("KiB");
        plot.ShowLegend(Edge.Bottom);
        plot.Axes.SetLimitsY(0, Math.Max(1, rows.Max(r => Math.Max(r.Sent, r.Received)) / 1024.0 * 1.1));
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    // Bin counts of a chi-square test as bars, with the expected uniform count as a line.
    public static byte[] Histogram(ChiSquareResult r, string title, string xLabel)
    {
        var plot = new Plot();
        double[] counts = [.. r.Counts.Select(c => (double)c)];
        var bars = plot.Add.Bars(counts);
        foreach (var b in bars.Bars)
        {
            b.Size = 1;
            b.LineWidth = 0;
        }
        var expected = plot.Add.HorizontalLine(r.Samples / (double)r.Bins);
        expected.LegendText = "uniform expectation";
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel("count");
        plot.ShowLegend(Alignment.LowerRight);
        plot.Axes.SetLimits(-1, r.Bins, 0, Math.Max(1, r.Counts.Max()) * 1.1);
        return plot.GetImageBytes(Width / 2, Height, ImageFormat.Png);
    }

    public static byte[] PrivacyBudget(IReadOnlyList<(int Rounds, double Epsilon)> points, double target, int plannedRounds)
    {
        var plot = new Plot();
        var line = plot.Add.Scatter(points.Select(p => (double)p.Rounds).ToArray(), points.Select(p => p.Epsilon).ToArray());
        line.LegendText = "epsilon after r rounds like this one (accountant)";
        var targetLine = plot.Add.HorizontalLine(target);
        targetLine.LegendText = $"target epsilon over {plannedRounds} planned round(s)";
        var planned = plot.Add.VerticalLine(plannedRounds);
        planned.LegendText = "planned rounds";
        plot.Title("Privacy budget over rounds");
        plot.XLabel("rounds");
        plot.YLabel("epsilon");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }
}
