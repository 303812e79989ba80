using Spectre.Console;

namespace SecureFed.Cli;

/// <summary>
/// Progress of a long command (swarm, simulate, bench): stage lines, and for runs with many clients how many
/// have sent the current stage. Three forms: a live display, plain lines, or nothing.
/// </summary>
internal abstract class CliProgress
{
    /// <summary>Reports nothing (--json): its lines go nowhere, so stdout stays one JSON object and stderr empty.</summary>
    public static CliProgress Silent { get; } = new LineProgress(TextWriter.Null);

    /// <summary>Writes each stage line, indented, to <paramref name="writer"/> (output redirected).</summary>
    public static CliProgress Lines(TextWriter writer) => new LineProgress(writer);

    /// <summary>A live Spectre.Console display: stage, clients done, elapsed time, rate and time left.</summary>
    public static CliProgress Live(IAnsiConsole console, int? totalClients) => new LiveProgress(console, totalClients);

    /// <summary>A writer whose lines become stage lines, for code that reports through a TextWriter.</summary>
    public TextWriter Writer => field ??= new StageLineWriter(this);

    /// <summary>An <see cref="IProgress{T}"/> whose reports become stage lines.</summary>
    public IProgress<string> Reporter => field ??= new SynchronousProgress(this);

    /// <summary>A stage started or finished; <paramref name="line"/> says which.</summary>
    public abstract void Stage(string line);

    /// <summary>One client sent its message of protocol stage <paramref name="stage"/>; safe from any thread. Only the
    /// live display counts them: per-client lines would flood a log, and the stage lines carry the counts.</summary>
    public virtual void ClientSent(int stage)
    {
    }

    /// <summary>Runs <paramref name="work"/> while the progress is shown; the display closes when it returns.</summary>
    public virtual T Run<T>(Func<T> work) => work();

    // Progress<T> would post to the thread pool and reorder lines; reporting in place keeps them in order.
    private sealed class SynchronousProgress(CliProgress target) : IProgress<string>
    {
        public void Report(string value) => target.Stage(value);
    }
}
