using SecureFed.Fuzz;
using SharpFuzz;

// securefed-fuzz list                      the targets, one per line (name, network-facing, decoder)
// securefed-fuzz seeds TARGET DIR          writes TARGET's seed inputs into DIR
// securefed-fuzz run TARGET                the AFL++ entry point (fuzz/run.sh): SharpFuzz reads inputs from afl-fuzz
// securefed-fuzz replay TARGET FILE...     runs inputs in process and says which pass (for triage and regressions)
// Instrumented assemblies (fuzz/run.sh) write coverage through Trace.SharedMem; until Fuzzer.Run maps afl's shared
// memory there, a scratch map takes the writes (seed generation and warm-up run instrumented code too).
unsafe
{
    SharpFuzz.Common.Trace.SharedMem = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(1 << 16);
}
if (args.Length == 1 && args[0] == "list")
{
    foreach (FuzzTarget t in FuzzTargets.All)
    {
        Console.WriteLine($"{t.Name}\t{(t.NetworkFacing ? "network" : "local")}\t{t.Decoder}");
    }
    return 0;
}
if (args.Length == 3 && args[0] == "seeds")
{
    Directory.CreateDirectory(args[2]);
    IReadOnlyList<byte[]> seeds = SeedCorpus.For(FuzzTargets.Get(args[1]).Name);
    for (int i = 0; i < seeds.Count; i++)
    {
        File.WriteAllBytes(Path.Combine(args[2], $"seed-{i:D3}"), seeds[i]);
    }
    Console.WriteLine($"{seeds.Count} seeds for {args[1]} in {args[2]}");
    return 0;
}
if (args.Length == 2 && args[0] == "run")
{
    FuzzTarget target = FuzzTargets.Get(args[1]);
    // Warm up before the fork server starts, so JIT and first-use tables are paid once and not timed as a hang.
    FuzzHarness.WarmUp(target);
    // An input that breaks the pass rule throws FuzzFailureException out of the action: afl-fuzz records a crash.
    Fuzzer.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        FuzzHarness.Run(target, buffer.ToArray());
    });
    return 0;
}
if (args.Length >= 3 && args[0] == "replay")
{
    FuzzTarget target = FuzzTargets.Get(args[1]);
    FuzzHarness.WarmUp(target);
    int failed = 0;
    foreach (string file in args.Skip(2))
    {
        try
        {
            bool accepted = FuzzHarness.Run(target, File.ReadAllBytes(file));
            Console.WriteLine($"pass {(accepted ? "decoded" : "refused")} {file}");
        }
        catch (FuzzFailureException e)
        {
            failed++;
            Console.WriteLine($"FAIL {file}: {e.Message}");
        }
    }
    return failed == 0 ? 0 : 1;
}
Console.Error.WriteLine("usage: securefed-fuzz list | seeds TARGET DIR | run TARGET | replay TARGET FILE...");
return 2;
