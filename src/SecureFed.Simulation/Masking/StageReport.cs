namespace SecureFed.Protocol.Simulation;

/// <summary>Measurements of one stage of a simulated round (ServerBytesSent: the server messages that opened the stage).</summary>
public sealed record StageReport(
    string Stage,
    int ClientsActive,
    double ClientMillisecondsTotal,
    double ClientMillisecondsMax,
    double ServerMilliseconds,
    double WallMilliseconds,
    long ClientBytesSent,
    long ServerBytesSent);
