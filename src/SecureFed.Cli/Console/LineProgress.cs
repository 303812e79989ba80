namespace SecureFed.Cli;

/// <summary>Progress as plain indented lines, one per stage (for logs and redirected output).</summary>
internal sealed class LineProgress(TextWriter writer) : CliProgress
{
    private readonly Lock _gate = new();

    public override void Stage(string line)
    {
        lock (_gate)
        {
            writer.WriteLine($"  {line}");
        }
    }
}
