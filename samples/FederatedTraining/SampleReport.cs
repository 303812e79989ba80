using System.Globalization;

namespace SecureFed.Samples.FederatedTraining;

/// <summary>
/// Prints the per-round accuracy table, one summary line per method and the checks, and decides the exit code:
/// 1 if any secure sum differed from the plain sum of the same encodings, or a masking/HE model differs from the
/// plain quantized one; 3 if a DP run's measured aggregation error lies outside its mechanism's range.
/// </summary>
internal sealed class SampleReport(IReadOnlyList<RunResult> results, TrainingOptions training)
{
    // Accuracy is also summarised as the mean of the last rounds: DP runs jitter from round to round.
    public const int TailRounds = 5;

    public int Write(TextWriter o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine("test accuracy per round");
        o.WriteLine("round " + string.Concat(results.Select(r => $"{r.Method,10}")));
        for (int round = 0; round < training.Rounds; round++)
        {
            o.WriteLine($"{round + 1,5} " + string.Concat(results.Select(r => r.Accuracy[round].ToString("F4", inv).PadLeft(10))));
        }
        o.WriteLine();
        foreach (RunResult r in results)
        {
            string sums = r.SumChecks == 0 ? "no secure sum" : $"secure sum == plain sum in {r.SumChecks - r.SumMismatches}/{r.SumChecks} rounds";
            o.WriteLine(string.Create(inv, $"{r.Method}: final accuracy {r.Accuracy[^1]:F4}, mean of last {Math.Min(TailRounds, training.Rounds)} {r.TailAccuracy(TailRounds):F4}; {sums}; {r.Seconds:F1} s"));
            if (r.Summary is not null)
            {
                o.WriteLine($"    {r.Summary}");
            }
        }
        o.WriteLine();
        bool exact = CheckExact(o);
        bool dpWithin = CheckDp(o);
        o.WriteLine(!exact ? "RESULT: FAILED: a secure sum or model differs from the plain quantized run"
            : dpWithin ? "RESULT: ok: secure sums exact, DP noise as planned" : "RESULT: FAILED: a DP run's noise is not what its mechanism adds");
        return !exact ? 1 : dpWithin ? 0 : 3;
    }

    private bool CheckExact(TextWriter o)
    {
        bool ok = results.All(r => r.SumMismatches == 0);
        RunResult? reference = Find("plain-q");
        foreach (RunResult r in results.Where(r => r.Method is "masking" or "he"))
        {
            if (reference is null)
            {
                continue;
            }
            bool same = r.FinalParameters.AsSpan().SequenceEqual(reference.FinalParameters) && r.Accuracy.AsSpan().SequenceEqual(reference.Accuracy);
            o.WriteLine($"check: {r.Method} model and accuracies identical to plain-q bit for bit: {(same ? "yes" : "NO")}");
            ok &= same;
        }
        if (reference is not null && Find("plain") is RunResult plain)
        {
            double maxParam = plain.FinalParameters.Zip(reference.FinalParameters, (a, b) => Math.Abs(a - b)).Max();
            double maxAcc = plain.Accuracy.Zip(reference.Accuracy, (a, b) => Math.Abs(a - b)).Max();
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"check: quantization error only: plain vs plain-q, max |parameter diff| {maxParam:G3}, max |accuracy diff| over rounds {maxAcc:F4}"));
        }
        return ok;
    }

    private bool CheckDp(TextWriter o)
    {
        var inv = CultureInfo.InvariantCulture;
        bool ok = true;
        foreach (RunResult r in results.Where(r => r.Noise is not null))
        {
            NoiseCheck n = r.Noise!;
            o.WriteLine(string.Create(inv,
                $"check: {r.Method} aggregation error: MSE per coordinate of the mean {n.Measured:G4}; its mechanism's [{n.ExactLow:G4}, {n.ExactHigh:G4}], tolerance +-{n.Slack:P1} (5 standard errors over {n.Coordinates} coordinates): {(n.Within ? "within" : "OUTSIDE")}"));
            ok &= n.Within;
        }
        if (Find("ddp") is RunResult ddp && Find("cdp") is RunResult cdp)
        {
            double d = ddp.TailAccuracy(TailRounds), c = cdp.TailAccuracy(TailRounds);
            string plain = Find("plain") is RunResult p ? p.TailAccuracy(TailRounds).ToString("F4", inv) : "not run";
            o.WriteLine(string.Create(inv,
                $"note: accuracy, mean of the last {Math.Min(TailRounds, training.Rounds)} rounds: ddp {d:F4}, cdp {c:F4} (gap {Math.Abs(d - c):F4}, itself random: both runs are noisy), plain {plain}"));
        }
        return ok;
    }

    private RunResult? Find(string method) => results.FirstOrDefault(r => r.Method == method);
}
