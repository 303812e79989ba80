namespace SecureFed.Protocol.Hosting;

/// <summary>Why a round ended without a result.</summary>
/// <param name="Reason">The scheme's abort reason code as its abort notice carries it.</param>
/// <param name="ReasonName">The reason's name (for operators: the admin API's <c>abortReason</c>).</param>
/// <param name="Detail">In words; never secret.</param>
public sealed record RoundAbort(int Reason, string ReasonName, string Detail);
