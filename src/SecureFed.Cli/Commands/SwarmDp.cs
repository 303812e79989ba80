using SecureFed.Client;
using SecureFed.Primitives.Randomness;
using SecureFed.Transport.Admin;

namespace SecureFed.Cli.Commands;

/// <summary>
/// A swarm's distributed-DP round (--dp-epsilon), either scheme: float updates of L2 norm at most 1/2 under a clip
/// norm of 1, the fresh federation's budget set first, and the verdict a noisy average allows (an exact sum is not
/// defined): the average within the noise of the true one, and the privacy ledger holding exactly one charge for the
/// round, equal to the epsilon the round's status reports as charged.
/// </summary>
internal sealed class SwarmDp(double epsilon, int length)
{
    /// <summary>The ledger's kind of a round's charge (transport.md section 5).</summary>
    public const string RoundCharged = "round-charged";

    private const double ClipNorm = 1;

    /// <summary>The budget set on the fresh federation: room for the round's worst case, twice over.</summary>
    public double BudgetEpsilon => 2 * epsilon;

    /// <summary>Makes the scheme's integer request a DP float round of the same length.</summary>
    public void Apply(OpenRoundRequest request)
    {
        request.Vectors = [];
        request.Float = new FloatEncodingRequest { Length = length, ClipNorm = ClipNorm };
        request.Dp = new DpRoundRequest { TargetEpsilon = epsilon };
        if (request.He is { } he)
        {
            // The encoding sets the HE round's values and window.
            he.VectorLength = 0;
            he.InputRange = null;
        }
    }

    /// <summary>Device <paramref name="index"/>'s update: uniform coordinates, L2 norm at most 1/2 (never clipped).</summary>
    public double[] Input(long seed, int index)
    {
        double bound = 0.5 / Math.Sqrt(length);
        return SwarmDevices.Input(seed, index, length, random => (2 * random.NextDouble() - 1) * bound);
    }

    /// <summary>
    /// True when the decoded <paramref name="average"/> is within the noise of <paramref name="inputSum"/> over
    /// <paramref name="survivors"/>: its root-mean-square error at most three noise standard deviations plus two
    /// quantization steps (the RMS over many coordinates concentrates at one standard deviation; a wrong sum is off
    /// by the modulus' scale).
    /// </summary>
    public static bool AverageWithinNoise(IReadOnlyList<double> average, double[] inputSum, int survivors, double noiseStdDev, double scale)
    {
        if (average.Count != inputSum.Length || survivors <= 0 || scale <= 0)
        {
            return false;
        }
        double squares = 0;
        for (int i = 0; i < inputSum.Length; i++)
        {
            double e = average[i] - inputSum[i] / survivors;
            squares += e * e;
        }
        double rms = Math.Sqrt(squares / inputSum.Length);
        return rms <= 3 * noiseStdDev + 2 / scale;
    }

    /// <summary>The ledger's charges of <paramref name="roundId"/>, and whether there is exactly one, equal to the status's charged epsilon.</summary>
    public static (int Charges, bool Matches) CheckLedger(PrivacyLedgerView ledger, string roundId, RoundEncodingStatus? encoding)
    {
        PrivacyLedgerLine[] charges = [.. ledger.Entries.Where(e => e.Kind == RoundCharged && string.Equals(e.RoundId, roundId, StringComparison.OrdinalIgnoreCase))];
        bool matches = charges is [{ RoundEpsilon: double charged }]
            && encoding is { RoundEpsilonCharged: true, RoundEpsilon: double status }
            && charged == status;
        return (charges.Length, matches);
    }

    /// <summary>Contributes <paramref name="input"/> as a float update (weight 1, as a DP round requires).</summary>
    public static Task<FloatContributionResult> ContributeAsync(SecureFedClient client, string roundId, double[] input, CancellationToken ct) =>
        client.ContributeAsync(roundId, new ReadOnlyMemory<double>(input), 1, ct);
}
