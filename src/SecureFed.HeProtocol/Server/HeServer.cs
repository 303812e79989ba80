using SecureFed.HeProtocol.Configuration;

namespace SecureFed.HeProtocol.Server;

/// <summary>Entry points of the server state machine: a fresh round, or one rebuilt from its log.</summary>
public static class HeServer
{
    /// <summary>The initial state, collecting H0 key advertisements from the configured decryptors.</summary>
    public static HeServerState Start(HeRoundParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return new HeServerH0KeyAdvertisementState(parameters);
    }

    /// <summary>The largest envelope the server accepts in <paramref name="stage"/> (a host's transport read limit).</summary>
    public static long MaxEnvelopeBytes(HeRoundParameters parameters, Messages.HeStage stage)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return HeServerLimits.MaxEnvelopeBytes(parameters, stage);
    }

    /// <summary>Rebuilds a server by replaying its accepted messages and stage closes in order.</summary>
    /// <exception cref="HeProtocolException">An entry is refused: the log is not this round's, or is corrupt.</exception>
    public static HeServerState Replay(HeRoundParameters parameters, IEnumerable<HeServerLogEntry> log)
    {
        ArgumentNullException.ThrowIfNull(log);
        HeServerState state = Start(parameters);
        int index = 0;
        foreach (var entry in log)
        {
            var transition = entry.IsClose ? state.CloseStage() : state.HandleBytes(entry.Envelope);
            if (transition.Rejection is { } rejection)
            {
                throw new HeProtocolException($"log entry {index} was refused on replay: {rejection}");
            }
            state = transition.Next;
            index++;
        }
        return state;
    }
}
