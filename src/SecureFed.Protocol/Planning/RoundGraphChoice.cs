namespace SecureFed.Protocol.Planning;

/// <summary>How a round's neighbour graph is chosen when it opens.</summary>
public enum RoundGraphChoice
{
    /// <summary>The SecAgg+ parameter finder, as `simulate` uses it: a Harary graph with the smallest safe k, or the complete graph when none is smaller.</summary>
    Finder = 0,

    /// <summary>The complete graph (every client a neighbour of every other), with the finder's worst-case threshold rule.</summary>
    Complete = 1,
}
