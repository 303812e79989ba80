using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Ring;

namespace SecureFed.Lattice.Multiparty;

/// <summary>
/// Decryptor j's threshold key share S_j = sum_i f_i(j), a point on a degree t-1 polynomial whose value at 0 is
/// the collective secret s (one such point per secret of a multi-secret key, body-major). Held in NTT form
/// (upload level) with Shoup quotients; zeroed on dispose.
/// </summary>
public sealed class ThresholdKeyShare : IDisposable
{
    private readonly NttSecret _share;

    private ThresholdKeyShare(AggregationPlan plan, int party, ulong[] ntt)
    {
        Plan = plan;
        Party = party;
        _share = new NttSecret(this, plan.Parameters.Ring, plan.Parameters.Degree, plan.UploadLevel, ntt);
    }

    /// <summary>The plan.</summary>
    public AggregationPlan Plan { get; }

    /// <summary>1-based decryptor index (its Shamir evaluation point).</summary>
    public int Party { get; }

    internal ReadOnlySpan<ulong> Ntt => _share.Ntt;

    internal ReadOnlySpan<ulong> NttShoup => _share.NttShoup;

    /// <summary>Sums the shares every dealer sent to <paramref name="party"/> (all D dealers, once each).</summary>
    /// <exception cref="ArgumentException">A share is for someone else, duplicated, or missing.</exception>
    public static ThresholdKeyShare Combine(AggregationPlan plan, int party, IReadOnlyCollection<ShamirShare> received)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(received);
        var p = plan.Parameters;
        int n = p.Degree;
        int level = plan.UploadLevel;
        var dealers = new HashSet<int>();
        int bodies = plan.Options.Bodies;
        var sum = new ulong[bodies * level * n];
        foreach (var s in received)
        {
            if (s.Recipient != party || s.Threshold != plan.Shares || s.Values.Length != sum.Length
                || s.Dealer < 1 || s.Dealer > plan.Options.Decryptors || !dealers.Add(s.Dealer))
            {
                throw new ArgumentException($"share from dealer {s.Dealer} does not belong to party {party} or is duplicated", nameof(received));
            }
            for (int k = 0; k < bodies; k++)
            {
                for (int i = 0; i < level; i++)
                {
                    int at = (k * level + i) * n;
                    PolyArith.AddInPlace(sum.AsSpan(at, n), s.Values.AsSpan(at, n), p.Ring.Moduli[i].Value);
                }
            }
        }
        if (dealers.Count != plan.Options.Decryptors)
        {
            throw new ArgumentException($"party {party} needs shares from all {plan.Options.Decryptors} dealers, got {dealers.Count}", nameof(received));
        }
        for (int k = 0; k < bodies; k++)
        {
            p.Ring.ForwardNtt(sum.AsSpan(k * level * n, level * n), level);
        }
        return new ThresholdKeyShare(plan, party, sum);
    }

    /// <summary>Zeroes the share.</summary>
    public void Dispose() => _share.Wipe();

    /// <inheritdoc />
    public override string ToString() => $"ThresholdKeyShare(party {Party}, redacted)";
}
