namespace SecureFed.Protocol.Hosting;

/// <summary>Where a round stands as a whole; its wire name is in SecureFed.Transport's <c>WireNames</c>.</summary>
public enum RoundPhase
{
    /// <summary>Collecting messages in some stage.</summary>
    Running = 0,

    /// <summary>Over with a result.</summary>
    Completed = 1,

    /// <summary>Over without one.</summary>
    Aborted = 2,
}
