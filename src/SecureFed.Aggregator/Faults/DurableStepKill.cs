using System.Diagnostics;
using System.Globalization;

namespace SecureFed.Aggregator.Faults;

/// <summary>
/// Fault injection for the kill -9 matrix (tests/SecureFed.Aggregator.Tests/Faults/KillMatrixTests.cs): the process
/// sends itself SIGKILL right after one chosen durable step commits, so no code after the commit runs (no answer, no
/// in-memory update), exactly like <c>kill -9</c> at the worst moment. Off unless the standalone service
/// (<see cref="Program"/>) finds <see cref="Variable"/> in its environment at start; a host of the library never gets
/// it, and nothing a client sends can turn it on.
/// </summary>
internal sealed class DurableStepKill
{
    /// <summary>
    /// <c>envelope:STAGE:N</c> (after the N-th envelope of STAGE accepted by this process is logged), <c>close:STAGE</c>
    /// (after STAGE's close is logged) or <c>outcome</c> (after the round's outcome is stored); STAGE is the stage's
    /// label as in logs and metrics ("0".."4" for masking R0..R4, "H0".."H3" for HE).
    /// </summary>
    public const string Variable = "SECUREFED_TEST_KILL_AFTER";

    private readonly DurableStep _step;
    private readonly string? _stage;
    private readonly int _nth;
    private int _seen;

    private DurableStepKill(DurableStep step, string? stage, int nth)
    {
        _step = step;
        _stage = stage;
        _nth = nth;
    }

    /// <summary>The switch that never fires (every host but a test's standalone service).</summary>
    public static DurableStepKill Off { get; } = new(DurableStep.EnvelopeLogged, null, 0);

    /// <summary>Reads <see cref="Variable"/> once; <see cref="Off"/> when it is unset.</summary>
    /// <exception cref="FormatException">The variable is set but malformed (the service does not start).</exception>
    public static DurableStepKill FromEnvironment() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } spec ? Parse(spec) : Off;

    /// <exception cref="FormatException"><paramref name="spec"/> is not one of the forms of <see cref="Variable"/>.</exception>
    public static DurableStepKill Parse(string spec)
    {
        string[] parts = spec.Split(':');
        return parts switch
        {
            ["envelope", { Length: > 0 } stage, string n] when int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out int nth) && nth > 0 =>
                new(DurableStep.EnvelopeLogged, stage, nth),
            ["close", { Length: > 0 } stage] => new(DurableStep.StageCloseLogged, stage, 1),
            ["outcome"] => new(DurableStep.OutcomeStored, null, 1),
            _ => throw new FormatException($"{Variable}: expected envelope:STAGE:N, close:STAGE or outcome (got '{spec}')"),
        };
    }

    /// <summary>Called after <paramref name="step"/> of stage <paramref name="stage"/> committed (under the round's gate).</summary>
    public void After(DurableStep step, string stage)
    {
        if (_nth == 0 || step != _step || (_stage is not null && _stage != stage))
        {
            return;
        }
        if (Interlocked.Increment(ref _seen) == _nth)
        {
            Process.GetCurrentProcess().Kill(); // SIGKILL to itself: nothing after the commit runs
        }
    }
}
