using SecureFed.Protocol.Configuration;

namespace SecureFed.Protocol.Server;

/// <summary>Starts the server's side of a round: the entry point of the server state machine.</summary>
public static class SecAggServer
{
    /// <summary>The initial state, collecting R0 advertisements from the roster.</summary>
    public static ServerState Start(RoundParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return new LocalSecAggRound(parameters).State();
    }
}
