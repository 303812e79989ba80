using SecureFed.Privacy.Parameters;
using SecureFed.Protocol.Configuration;

namespace SecureFed.Protocol.Planning;

/// <summary>
/// Chooses a hosted round's graph when it opens, with the same finder as `simulate` (<see cref="SecAggPlusPlanner"/>):
/// from the roster size and the round's dropout and corruption assumptions, a Harary graph of degree k and threshold
/// t (server work and memory per round then grow with n k, not n^2), or the complete graph when no smaller k is safe
/// or when asked for explicitly.
/// </summary>
public static class RoundGraphSelector
{
    /// <summary>The graph for a roster of <paramref name="rosterSize"/> clients under <paramref name="options"/> (defaults when null).</summary>
    /// <exception cref="ParameterOutOfRangeException">An assumption is out of range (names the field and the range).</exception>
    /// <exception cref="RoundGraphRefusedException">No safe k and t exist for these assumptions (carries the numbers).</exception>
    public static RoundGraph Select(int rosterSize, RoundGraphOptions? options = null)
    {
        options ??= new RoundGraphOptions();
        Validate(rosterSize, options);
        var request = new GraphPlanRequest
        {
            Clients = rosterSize,
            CorruptFraction = options.CorruptFraction,
            DropoutFraction = options.DropoutFraction,
            SecurityBits = options.SecurityBits,
            CorrectnessBits = options.CorrectnessBits,
            Adversary = options.Adversary,
        };
        if (options.Choice == RoundGraphChoice.Finder && rosterSize < 3)
        {
            throw new RoundGraphRefusedException(rosterSize, options, "the finder needs at least 3 clients; ask for the complete graph explicitly");
        }
        GraphPlan plan;
        try
        {
            plan = options.Choice == RoundGraphChoice.Complete ? SecAggPlusPlanner.PlanComplete(request) : SecAggPlusPlanner.Plan(request);
        }
        catch (InfeasiblePlanException e)
        {
            throw new RoundGraphRefusedException(rosterSize, options, e.Message, e);
        }
        return plan.Graph == GraphKind.Harary
            ? new RoundGraph(GraphKind.Harary, plan.Degree, plan.Threshold, plan, options)
            : new RoundGraph(GraphKind.Complete, 0, plan.Threshold, plan, options);
    }

    private static void Validate(int rosterSize, RoundGraphOptions o)
    {
        ParameterOutOfRangeException.ThrowIfOutside("RosterSize", rosterSize, ParameterRange.Closed(2, RoundParameters.MaxClients));
        if (!Enum.IsDefined(o.Choice))
        {
            throw new ParameterOutOfRangeException(nameof(o.Choice), (int)o.Choice, ParameterRange.Closed(0, 1));
        }
        if (!Enum.IsDefined(o.Adversary))
        {
            throw new ParameterOutOfRangeException(nameof(o.Adversary), (int)o.Adversary, ParameterRange.Closed(0, 1));
        }
        var fraction = new ParameterRange(0, true, 1, false);
        ParameterOutOfRangeException.ThrowIfOutside(nameof(o.CorruptFraction), o.CorruptFraction, fraction);
        ParameterOutOfRangeException.ThrowIfOutside(nameof(o.DropoutFraction), o.DropoutFraction, fraction);
        ParameterOutOfRangeException.ThrowIfOutside(nameof(o.SecurityBits), o.SecurityBits, ParameterRange.Closed(1, 128));
        ParameterOutOfRangeException.ThrowIfOutside(nameof(o.CorrectnessBits), o.CorrectnessBits, ParameterRange.Closed(1, 128));
    }
}
