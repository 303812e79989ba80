using System.Diagnostics;

namespace SecureFed.Fuzz.Tests;

/// <summary>
/// Every fuzz target, without AFL: its seeds, then deterministic mutations of them, then every input checked in under
/// fuzz/regressions/TARGET (crashes found by afl-fuzz). Each input must decode or be refused with the target's
/// documented exception, within the time limit and the allocation bound (FuzzHarness).
/// </summary>
public sealed class FuzzTargetTests
{
    private const int Mutations = 400;
    private static readonly TimeSpan MutationBudget = TimeSpan.FromSeconds(15);

    public static TheoryData<string> Targets => [.. FuzzTargets.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_seed_passes_and_most_seeds_decode(string name)
    {
        FuzzTarget target = FuzzTargets.Get(name);
        FuzzHarness.WarmUp(target);
        IReadOnlyList<byte[]> seeds = SeedCorpus.For(name);
        Assert.NotEmpty(seeds);
        int decoded = seeds.Count(s => FuzzHarness.Run(target, s));
        // The seeds are real messages: a target that refuses all of them is testing nothing.
        Assert.True(decoded > 0, $"{name}: none of the {seeds.Count} seeds decoded");
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Mutated_seeds_decode_or_are_refused_with_the_documented_exception(string name)
    {
        FuzzTarget target = FuzzTargets.Get(name);
        FuzzHarness.WarmUp(target);
        IReadOnlyList<byte[]> seeds = SeedCorpus.For(name);
        var mutator = new Mutator(name.GetHashCode(StringComparison.Ordinal) ^ 20);
        long start = Stopwatch.GetTimestamp();
        int ran = 0;
        for (; ran < Mutations && Stopwatch.GetElapsedTime(start) < MutationBudget; ran++)
        {
            byte[] input = mutator.Mutate(seeds[ran % seeds.Count], seeds[(ran * 7 + 3) % seeds.Count]);
            try
            {
                FuzzHarness.Run(target, input);
            }
            catch (FuzzFailureException e)
            {
                Assert.Fail($"{e.Message}\ninput (hex): {Convert.ToHexString(input.AsSpan(0, Math.Min(input.Length, 4096)))}");
            }
        }
        Assert.True(ran > 0);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Checked_in_crash_inputs_pass(string name)
    {
        FuzzTarget target = FuzzTargets.Get(name);
        string dir = Path.Combine(RepoRoot(), "fuzz", "regressions", name);
        if (!Directory.Exists(dir))
        {
            return; // no crash was ever found for this target
        }
        FuzzHarness.WarmUp(target);
        foreach (string file in Directory.GetFiles(dir))
        {
            FuzzHarness.Run(target, File.ReadAllBytes(file));
        }
    }

    [Fact]
    public void A_length_prefix_claiming_gigabytes_is_refused_without_allocating_it()
    {
        // An array of 2^31 - 1 envelopes, a 2^31 - 1 byte bin and a map of 2^31 - 1 entries, each in a few bytes.
        byte[][] inputs = [[0xDD, 0x7F, 0xFF, 0xFF, 0xFF, 0x01], [0xC6, 0x7F, 0xFF, 0xFF, 0xFF, 0x00], [0xDF, 0x7F, 0xFF, 0xFF, 0xFF, 0x01, 0x02]];
        foreach (FuzzTarget target in FuzzTargets.All.Where(t => t.DecodeExceptions.Length > 0))
        {
            FuzzHarness.WarmUp(target);
            foreach (byte[] input in inputs)
            {
                Assert.False(FuzzHarness.Run(target, input), $"{target.Name} accepted {Convert.ToHexString(input)}");
            }
        }
    }

    [Fact]
    public void The_harness_fails_an_undocumented_exception_and_passes_a_documented_one()
    {
        var throwsOther = new FuzzTarget("x", "test", false, [typeof(FormatException)], FuzzTarget.Proportional, _ => throw new IndexOutOfRangeException());
        Assert.Throws<FuzzFailureException>(() => FuzzHarness.Run(throwsOther, [1]));
        var throwsDocumented = new FuzzTarget("y", "test", false, [typeof(FormatException)], FuzzTarget.Proportional, _ => throw new FormatException());
        Assert.False(FuzzHarness.Run(throwsDocumented, [1]));
        var allocates = new FuzzTarget("z", "test", false, [], _ => 1000, _ => GC.KeepAlive(new byte[1 << 20]));
        Assert.Throws<FuzzFailureException>(() => FuzzHarness.Run(allocates, [1]));
    }

    private static string RepoRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "SecureFed.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }
        return dir ?? throw new InvalidOperationException("SecureFed.sln not found above the test folder");
    }
}
