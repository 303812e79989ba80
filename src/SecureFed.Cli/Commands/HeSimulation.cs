namespace SecureFed.Cli.Commands;

// Placeholder until the HE backend lands: refuse clearly rather than pretend.
internal static class HeSimulation
{
    public static int Run(CliArguments args, TextWriter output, TextWriter error)
    {
        _ = args;
        _ = output;
        error.WriteLine("securefed simulate --scheme he: the homomorphic backend is not built yet");
        return 2;
    }
}
