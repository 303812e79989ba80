using System.Diagnostics;
using Spectre.Console;

namespace SecureFed.Cli;

/// <summary>
/// A live Spectre.Console progress display on a terminal: the latest stage line, and for client runs the devices
/// that have sent the furthest stage reached so far (done / total, rate, time left), with the elapsed time.
/// </summary>
internal sealed class LiveProgress(IAnsiConsole console, int? totalClients) : CliProgress
{
    private const int MaxStages = 16;
    private readonly int[] _sent = new int[MaxStages];
    private readonly long[] _firstSentTicks = new long[MaxStages];
    private readonly Lock _gate = new();
    private ProgressTask? _task;
    private string _stage = "starting";
    private int _furthestStage = -1;

    public override void Stage(string line)
    {
        lock (_gate)
        {
            _stage = Markup.Escape(line);
            Refresh();
        }
    }

    public override void ClientSent(int stage)
    {
        if (stage is < 0 or >= MaxStages)
        {
            return;
        }
        lock (_gate)
        {
            if (_sent[stage]++ == 0)
            {
                _firstSentTicks[stage] = Stopwatch.GetTimestamp();
            }
            if (stage > _furthestStage)
            {
                _furthestStage = stage;
            }
            Refresh();
        }
    }

    public override T Run<T>(Func<T> work) =>
        console.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                lock (_gate)
                {
                    _task = context.AddTask(_stage, maxValue: totalClients ?? 1);
                    _task.IsIndeterminate = totalClients is null;
                }
                return work();
            });

    // Called under _gate.
    private void Refresh()
    {
        if (_task is null)
        {
            return;
        }
        if (totalClients is int total && _furthestStage >= 0)
        {
            int done = _sent[_furthestStage];
            double seconds = Stopwatch.GetElapsedTime(_firstSentTicks[_furthestStage]).TotalSeconds;
            string rate = seconds > 0.05 ? $"{done / seconds:F0}/s" : "-";
            _task.Value = done;
            _task.Description = $"{_stage}  stage {_furthestStage}: {done}/{total} clients sent, {rate}";
        }
        else
        {
            _task.Description = _stage;
        }
    }
}
