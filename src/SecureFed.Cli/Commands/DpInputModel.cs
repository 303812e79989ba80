using SecureFed.Primitives.Randomness;
using SecureFed.Privacy.Accounting;
using SecureFed.Privacy.Pipeline;

namespace SecureFed.Cli.Commands;

// `simulate --dp-epsilon`: each simulated client's update goes through the distributed-DP encoder (clip, rotate,
// round, exact discrete noise, wrap) before masking; after the round the sum is decoded and compared with the true
// sum of the clipped updates. Updates and noise are reproducible per client id within a run (the simulator asks for
// a client's input twice: once for the client, once for the reference sum), so the noise here comes from a
// per-run seeded generator: a simulation artefact; the client library draws it from the OS CSPRNG.
internal sealed class DpInputModel
{
    private readonly long _seed;
    private readonly byte[] _roundSeed = new byte[32];

    public DpInputModel(DistributedDpPlan plan, long seed)
    {
        Plan = plan;
        _seed = seed;
        using var r = DeterministicRandomSource.Derive(seed, "dp-rotation-seed");
        r.Fill(_roundSeed); // public per-round rotation seed
    }

    public DistributedDpPlan Plan { get; }

    // The plan for a round of `clients` with noise sized for `minimumSurvivors`; a usage error when infeasible.
    public static DistributedDpPlan PlanFor(double epsilon, double delta, double clip, int clients, int minimumSurvivors, int length, int? bits)
    {
        try
        {
            return DistributedDpPlanner.Plan(new DistributedDpOptions
            {
                Epsilon = epsilon,
                Delta = delta,
                ClipNorm = clip,
                ExpectedClients = clients,
                MinimumSurvivors = Math.Min(clients, minimumSurvivors),
                Dimension = length,
                Bits = bits,
            });
        }
        catch (Exception e) when (e is DpPlanningException or ArgumentOutOfRangeException)
        {
            throw new CliUsageException(e.Message.Split(Environment.NewLine)[0]);
        }
    }

    // Raw update of client `id`: uniform coordinates scaled so that about half the clients exceed the clip norm.
    public double[] Update(uint id)
    {
        using var r = DeterministicRandomSource.Derive(_seed, "dp-update", id);
        var u = new double[Plan.Dimension];
        double scale = Plan.ClipNorm * Math.Sqrt(3.0 / Plan.Dimension) * (0.5 + r.NextDouble());
        for (int i = 0; i < u.Length; i++)
        {
            u[i] = (2 * r.NextDouble() - 1) * scale;
        }
        return u;
    }

    public ulong[] Encode(uint id)
    {
        var encoded = new ulong[Plan.PaddedDimension];
        using var noise = DeterministicRandomSource.Derive(_seed, "dp-noise", id);
        new DpClientEncoder(Plan, _roundSeed).Encode(Update(id), encoded, noise);
        return encoded;
    }

    public DpOutcome Evaluate(ulong[] sum, IReadOnlyList<uint> survivors)
    {
        var estimate = new double[Plan.Dimension];
        new DpServerDecoder(Plan, _roundSeed).Decode(sum, estimate);
        var truth = new double[Plan.Dimension];
        var clipped = new double[Plan.Dimension];
        foreach (uint id in survivors)
        {
            L2Clipping.ClipInto(Update(id), Plan.ClipNorm, clipped);
            for (int i = 0; i < truth.Length; i++)
            {
                truth[i] += clipped[i];
            }
        }
        double mse = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            mse += (estimate[i] - truth[i]) * (estimate[i] - truth[i]);
        }
        PrivacySpent spent = DistributedDpAccountant.Project(Plan, survivors.Count, rounds: 1);
        double noiseStd = Plan.Scale * Math.Sqrt(survivors.Count * Plan.PerClientNoiseVariance);
        return new DpOutcome(spent.Epsilon, spent.Delta, spent.Conversion.ToString(), noiseStd, mse / truth.Length, Plan.Bits, Plan.PaddedDimension);
    }
}

internal sealed record DpOutcome(double EpsilonSpent, double Delta, string Conversion, double NoiseStdDev, double MeanSquaredError, int Bits, int PaddedLength)
{
    public string Describe() =>
        $"dp: epsilon spent {EpsilonSpent:G4} (delta {Delta:G3}, {Conversion} RDP conversion, actual survivors), noise std dev of the sum {NoiseStdDev:G4}, MSE of the noisy sum vs the clipped sum {MeanSquaredError:G4}, {Bits} bits, {PaddedLength} padded values";
}
