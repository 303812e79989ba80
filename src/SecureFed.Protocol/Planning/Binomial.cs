namespace SecureFed.Protocol.Planning;

// Binomial tail probabilities in log2, summed in log space so 2^-60 tails stay exact enough in doubles.
internal static class Binomial
{
    // log2 Pr[Bin(n, p) >= x].
    public static double Log2UpperTail(int n, double p, int x)
    {
        if (x <= 0)
        {
            return 0;
        }
        if (x > n || p <= 0)
        {
            return double.NegativeInfinity;
        }
        if (p >= 1)
        {
            return 0;
        }
        double lp = Math.Log(p), lq = Math.Log(1 - p);
        double max = double.NegativeInfinity;
        var terms = new double[n - x + 1];
        for (int i = x; i <= n; i++)
        {
            double l = LogChoose(n, i) + i * lp + (n - i) * lq;
            terms[i - x] = l;
            max = Math.Max(max, l);
        }
        double sum = terms.Sum(l => Math.Exp(l - max));
        return Math.Min(0, (max + Math.Log(sum)) / Math.Log(2));
    }

    private static double LogChoose(int n, int k) => LogFactorial(n) - LogFactorial(k) - LogFactorial(n - k);

    private static double[] _logFactorials = [0, 0];
    private static readonly object Gate = new();

    private static double LogFactorial(int n)
    {
        double[] table = _logFactorials;
        if (n >= table.Length)
        {
            lock (Gate)
            {
                table = _logFactorials;
                if (n >= table.Length)
                {
                    var grown = new double[Math.Max(n + 1, table.Length * 2)];
                    Array.Copy(table, grown, table.Length);
                    for (int i = table.Length; i < grown.Length; i++)
                    {
                        grown[i] = grown[i - 1] + Math.Log(i);
                    }
                    _logFactorials = table = grown;
                }
            }
        }
        return table[n];
    }
}
