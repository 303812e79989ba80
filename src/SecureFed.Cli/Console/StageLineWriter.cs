using System.Text;

namespace SecureFed.Cli;

/// <summary>A TextWriter that hands every complete line to <see cref="CliProgress.Stage"/> (trimmed).</summary>
internal sealed class StageLineWriter(CliProgress progress) : TextWriter
{
    private readonly StringBuilder _line = new();
    private readonly Lock _gate = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_gate)
        {
            if (value == '\n')
            {
                string line = _line.ToString().Trim();
                _line.Clear();
                if (line.Length > 0)
                {
                    progress.Stage(line);
                }
            }
            else if (value != '\r')
            {
                _line.Append(value);
            }
        }
    }
}
