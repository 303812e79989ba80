using SecureFed.Protocol.Configuration;

namespace SecureFed.Protocol.Planning;

/// <summary>
/// Chooses the neighbour graph degree k and Shamir threshold t from (n, gamma, delta, sigma, eta), following the
/// analysis of Bell et al. (CCS 2020) for a Harary graph over a random permutation (protocol-spec/secagg.md,
/// "Parameter finder"). With C ~ Bin(k, gamma) corrupt neighbours and D ~ Bin(k + 1, delta) dropped holders, and a
/// union bound over the n clients, it requires:
/// <list type="bullet">
/// <item>privacy: Pr[C &gt;= t] &lt;= 2^-sigma / n (honest-but-curious: colluders alone cannot rebuild an honest
/// client's secrets), or Pr[C &gt;= 2t - (k + 1)] &lt;= 2^-sigma / n (semi-malicious: not even with honest holders
/// split between the two kinds of share);</item>
/// <item>correctness: Pr[D &gt; k + 1 - t] &lt;= 2^-eta / n (every secret keeps t live holders);</item>
/// <item>no leak of partial sums: the honest, live clients stay connected. On the ring, disconnecting H(k, n) needs
/// two disjoint runs of k/2 consecutive removed clients, so Pr &lt;= C(n, 2) (gamma + delta)^k &lt;= 2^-sigma.</item>
/// </list>
/// It returns the smallest even k with a threshold t (a strict majority of holders) meeting all three, and the
/// complete graph when that k is not below n - 1. For the complete graph the fractions are worst-case counts, as in
/// Bonawitz et al. (CCS 2017): C = floor(gamma n) corrupt and D = ceil(delta n) dropped clients, so t &gt; C
/// (semi-malicious: 2t &gt; n + C) and t &lt;= n - D. Refuses gamma + delta &gt; 0.9 (honest-but-curious) or
/// gamma + 2 delta &gt; 0.9 (semi-malicious), the feasibility region of the SecAgg+ analysis.
/// </summary>
public static class SecAggPlusPlanner
{
    /// <summary>Finds (graph, k, t) for <paramref name="request"/>.</summary>
    /// <exception cref="InfeasiblePlanException">The fractions are outside the feasible region or no t exists.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range (the message names it).</exception>
    public static GraphPlan Plan(GraphPlanRequest request)
    {
        Validate(request, minimumClients: 3);
        int n = request.Clients;
        double g = request.CorruptFraction, d = request.DropoutFraction;
        bool malicious = request.Adversary == AdversaryModel.SemiMalicious;
        double load = malicious ? g + 2 * d : g + d;
        if (load > 0.9 + 1e-12)
        {
            throw new InfeasiblePlanException(malicious
                ? $"gamma + 2 delta = {load:0.###} exceeds 0.9: SecAgg+ cannot protect against a semi-malicious server with this many corrupt clients and dropouts"
                : $"gamma + delta = {load:0.###} exceeds 0.9: SecAgg+ cannot protect against an honest-but-curious server with this many corrupt clients and dropouts");
        }
        double log2N = Math.Log2(n);
        double privacyTarget = -request.SecurityBits - log2N;
        double correctnessTarget = -request.CorrectnessBits - log2N;
        double log2Pairs = Math.Log2(n * (n - 1.0) / 2);
        for (int k = 2; k < n - 1; k += 2)
        {
            double disconnect = load <= 0 ? double.NegativeInfinity : log2Pairs + k * Math.Log2(g + d);
            if (disconnect > -request.SecurityBits)
            {
                continue;
            }
            if (TryThreshold(k, g, d, malicious, privacyTarget, correctnessTarget, out int t, out double priv, out double corr))
            {
                return new GraphPlan(GraphKind.Harary, k, t, priv, corr, disconnect);
            }
        }
        return CompleteGraphPlan(n, g, d, malicious);
    }

    /// <summary>
    /// The complete graph with the smallest threshold that meets the same worst-case counts as the finder's fallback
    /// (for a round that asks for the complete graph explicitly; 2 clients are allowed).
    /// </summary>
    /// <exception cref="InfeasiblePlanException">No threshold meets both the corruption and the dropout count.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range (the message names it).</exception>
    public static GraphPlan PlanComplete(GraphPlanRequest request)
    {
        Validate(request, minimumClients: 2);
        return CompleteGraphPlan(request.Clients, request.CorruptFraction, request.DropoutFraction, request.Adversary == AdversaryModel.SemiMalicious);
    }

    private static void Validate(GraphPlanRequest request, int minimumClients)
    {
        ArgumentNullException.ThrowIfNull(request);
        int n = request.Clients;
        double g = request.CorruptFraction, d = request.DropoutFraction;
        if (n < minimumClients)
        {
            throw new ArgumentOutOfRangeException(nameof(request), n, $"Clients must be at least {minimumClients}");
        }
        if (g is < 0 or >= 1 || double.IsNaN(g))
        {
            throw new ArgumentOutOfRangeException(nameof(request), g, "CorruptFraction (gamma) must be in [0, 1)");
        }
        if (d is < 0 or >= 1 || double.IsNaN(d))
        {
            throw new ArgumentOutOfRangeException(nameof(request), d, "DropoutFraction (delta) must be in [0, 1)");
        }
        if (request.SecurityBits is < 1 or > 128 || request.CorrectnessBits is < 1 or > 128)
        {
            throw new ArgumentOutOfRangeException(nameof(request), "SecurityBits and CorrectnessBits must be in [1, 128]");
        }
    }

    private static GraphPlan CompleteGraphPlan(int n, double g, double d, bool malicious)
    {
        int corrupt = (int)Math.Floor(g * n + 1e-9);
        int dropped = (int)Math.Ceiling(d * n - 1e-9);
        int lowest = Math.Max(RoundParameters.MinimumThreshold(n), malicious ? (n + corrupt) / 2 + 1 : corrupt + 1);
        int highest = n - dropped;
        if (lowest > highest)
        {
            throw new InfeasiblePlanException(
                $"no threshold works for n = {n}: privacy needs t >= {lowest} ({corrupt} corrupt clients{(malicious ? ", semi-malicious server" : "")}) but {dropped} dropouts allow at most t = {highest}; use more clients or smaller fractions");
        }
        // Certain, not probabilistic: the bounds hold for every choice of corrupt and dropped clients.
        return new GraphPlan(GraphKind.Complete, n - 1, lowest, double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity);
    }

    // Smallest t (at least a strict majority of the k + 1 holders) meeting the privacy bound, if it also meets correctness.
    private static bool TryThreshold(int k, double g, double d, bool malicious, double privacyTarget, double correctnessTarget,
        out int t, out double log2Privacy, out double log2Correctness)
    {
        int holders = k + 1;
        for (t = RoundParameters.MinimumThreshold(holders); t <= holders; t++)
        {
            int corruptNeeded = malicious ? 2 * t - holders : t;
            log2Privacy = Binomial.Log2UpperTail(k, g, corruptNeeded);
            if (log2Privacy > privacyTarget)
            {
                continue;
            }
            log2Correctness = Binomial.Log2UpperTail(holders, d, holders - t + 1);
            return log2Correctness <= correctnessTarget;
        }
        log2Privacy = log2Correctness = 0;
        return false;
    }
}
