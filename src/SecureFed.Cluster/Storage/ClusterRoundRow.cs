namespace SecureFed.Cluster.Storage;

/// <summary>A round as <c>securefed_rounds</c> holds it: what any silo needs to rebuild it from its log.</summary>
/// <param name="RoundId">16 bytes.</param>
/// <param name="Federation">Whose roster the round runs over.</param>
/// <param name="EngineVersion">The round engine version that opened it.</param>
/// <param name="Scheme">The scheme code (<c>RoundScheme</c>).</param>
/// <param name="Configuration">The canonical configuration bytes.</param>
/// <param name="MinimumClients">The host's minimum of first-stage senders.</param>
/// <param name="DeadlinesMs">Per-stage deadlines in milliseconds.</param>
/// <param name="FloatEncoding">A float round's encoding (RoundInfo key 7), else null.</param>
/// <param name="EndedPhase">Null while running; 1 completed, 2 aborted.</param>
/// <param name="ShardCount">How many shard grains the round's clients are spread over (1: the round grain holds them all).</param>
/// <param name="DpPlan">A DP round's plan (RoundInfo key 8, <c>DpRoundConfiguration</c>), else null.</param>
/// <param name="QuietClose">The round's quiet close rule as <c>QuietCloseRule.ToStored</c> writes it, else null.</param>
internal sealed record ClusterRoundRow(byte[] RoundId, string Federation, int EngineVersion, int Scheme, byte[] Configuration, int MinimumClients,
    long[] DeadlinesMs, byte[]? FloatEncoding, int? EndedPhase, int ShardCount = 1, byte[]? DpPlan = null, string? QuietClose = null);
