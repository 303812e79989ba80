using FsCheck;
using FsCheck.Fluent;
using SecureFed.Primitives.Randomness;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Simulation;

namespace SecureFed.Protocol.Tests;

public class PropertyTests
{
    // Exact sum whenever at least t clients are left at the end (complete graph: every R4 responder holds a share of
    // every secret), and a clean TooFewClients abort otherwise; for any client count and any dropout pattern.
    [Fact]
    public void Result_is_the_survivors_sum_for_any_dropout_pattern_or_a_clean_abort()
    {
        var gen =
            from n in Gen.Choose(3, 60)
            from seed in Gen.Choose(1, int.MaxValue)
            from bits in Gen.Elements(16, 32, 48, 64)
            from dropRate in Gen.Elements(0.0, 0.1, 0.3, 0.5)
            select (n, seed, bits, dropRate);
        Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var (n, seed, bits, dropRate) = c;
            using var rng = new DeterministicRandomSource(seed);
            var dropouts = new Dictionary<uint, ProtocolStage>();
            for (uint id = 1; id <= n; id++)
            {
                if (rng.NextDouble() < dropRate)
                {
                    dropouts[id] = (ProtocolStage)rng.NextBelow(5);
                }
            }
            int length = n > 30 ? 16 : 64;
            var options = new SimulationOptions
            {
                Clients = n,
                Vectors = [new VectorSpec { Length = length, Bits = bits }],
                Dropouts = dropouts,
                Seed = seed,
                Inputs = id => [InputOf(seed, id, length, bits)],
            };
            SimulationReport report = new RoundSimulator(options).Run();
            int t = RoundParameters.MinimumThreshold(n);
            int finishers = n - dropouts.Count;
            bool shouldComplete = finishers >= t;
            var survivors = Enumerable.Range(1, n).Select(i => (uint)i)
                .Where(id => !dropouts.TryGetValue(id, out var d) || d > ProtocolStage.MaskedInputCollection).ToArray();
            bool ok = shouldComplete
                ? report.Result is not null && report.SumMatches && report.Result.Survivors.SequenceEqual(survivors)
                : report.Result is null && report.AbortReason == AbortReason.TooFewClients;
            return ok && report.Rejections.Count == 0;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(30));
    }

    // The same with the SecAgg+ graph: whatever the dropouts, the round either completes with the exact sum of the
    // survivors or aborts cleanly (TooFewClients or ReconstructionFailed when a client's neighbourhood lost too many).
    [Fact]
    public void Sparse_graph_rounds_give_the_exact_sum_or_a_clean_abort()
    {
        var gen =
            from n in Gen.Choose(12, 80)
            from seed in Gen.Choose(1, int.MaxValue)
            from dropRate in Gen.Elements(0.0, 0.05, 0.2)
            select (n, seed, dropRate);
        int completed = 0;
        Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var (n, seed, dropRate) = c;
            using var rng = new DeterministicRandomSource(seed);
            var dropouts = new Dictionary<uint, ProtocolStage>();
            for (uint id = 1; id <= n; id++)
            {
                if (rng.NextDouble() < dropRate)
                {
                    dropouts[id] = (ProtocolStage)rng.NextBelow(5);
                }
            }
            int k = 2 * (int)(2 + rng.NextBelow((ulong)Math.Min(5, (n - 2) / 2 - 1)));
            var options = new SimulationOptions
            {
                Clients = n,
                Graph = GraphKind.Harary,
                GraphDegree = k,
                Vectors = [new VectorSpec { Length = 8, Bits = 32 }],
                Dropouts = dropouts,
                Seed = seed,
                Inputs = id => [InputOf(seed, id, 8, 32)],
            };
            SimulationReport report = new RoundSimulator(options).Run();
            var survivors = Enumerable.Range(1, n).Select(i => (uint)i)
                .Where(id => !dropouts.TryGetValue(id, out var d) || d > ProtocolStage.MaskedInputCollection).ToArray();
            if (report.Result is not null)
            {
                completed++;
                return report.SumMatches && report.Result.Survivors.SequenceEqual(survivors) && report.Rejections.Count == 0;
            }
            return dropouts.Count > 0 && report.AbortReason is AbortReason.TooFewClients or AbortReason.ReconstructionFailed;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(25));
        Assert.True(completed > 5, $"only {completed} of 25 sparse rounds completed");
    }

    private static ulong[] InputOf(int seed, uint id, int length, int bits)
    {
        using var r = DeterministicRandomSource.Derive(seed, "input", id);
        ulong mask = Primitives.Vectors.ModularArithmetic.Mask(bits);
        return [.. Enumerable.Range(0, length).Select(_ => r.NextUInt64() & mask)];
    }
}
