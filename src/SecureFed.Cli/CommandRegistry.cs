namespace SecureFed.Cli;

/// <summary>Every sub-command of the `securefed` tool. Add one line per command; a parent comes before its children.</summary>
internal static class CommandRegistry
{
    public static IReadOnlyList<CliCommand> All { get; } =
    [
        // commands: one line each, keep sorted by name
        new Commands.AuditReportCommand(),
        new Commands.AuditVerifyCommand(),
        new Commands.BenchSecAggCommand(),
        new Commands.HeBenchCommand(),
        new Commands.ClientCommand(),
        new Commands.DpBenchCommand(),
        new Commands.DpEpsilonCommand(),
        new Commands.DpPlanCommand(),
        new Commands.DpSampleCommand(),
        new Commands.PlanCommand(),
        new Commands.ServeCommand(),
        new Commands.ServeAdminEnrolCommand(),
        new Commands.ServeAdminRevokeCommand(),
        new Commands.ServeAdminTokenCommand(),
        new Commands.ServeAdminOpenCommand(),
        Commands.ServeAdminRoundCommand.Status(),
        Commands.ServeAdminRoundCommand.Abort(),
        new Commands.ServeAdminTranscriptCommand(),
        new Commands.ServeAdminBudgetCommand(),
        new Commands.SimulateCommand(),
        new Commands.SwarmCommand(),
        new Commands.SwarmSoakCommand(),
    ];
}
