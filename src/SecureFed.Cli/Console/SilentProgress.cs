namespace SecureFed.Cli;

/// <summary>No progress at all: --json output stays one JSON object on stdout and nothing on stderr.</summary>
internal sealed class SilentProgress : CliProgress
{
    public override void Stage(string line)
    {
    }

    public override void ClientSent(int stage)
    {
    }

    public override T Run<T>(Func<T> work) => work();
}
