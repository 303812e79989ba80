namespace SecureFed.Cli;

/// <summary>Every sub-command of the `securefed` tool. Add one line per command.</summary>
internal static class CommandRegistry
{
    public static IReadOnlyList<ICliCommand> All { get; } =
    [
        // commands: one line each, keep sorted by name
        new Commands.BenchSecAggCommand(),
        new Commands.HeBenchCommand(),
        new Commands.DpBenchCommand(),
        new Commands.DpEpsilonCommand(),
        new Commands.DpPlanCommand(),
        new Commands.DpSampleCommand(),
        new Commands.PlanCommand(),
        new Commands.SimulateCommand(),
    ];
}
