namespace SecureFed.Cli.Commands;

// `simulate --scheme he` forwards here; the HE backend's runner lives in HeSimulation.cs when it is built.
internal static class HeSimulationEntry
{
    public static int Run(CliArguments args, TextWriter output, TextWriter error) => HeSimulation.Run(args, output, error);
}
