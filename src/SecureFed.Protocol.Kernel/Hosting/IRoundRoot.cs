namespace SecureFed.Protocol.Hosting;

/// <summary>
/// The round as a whole over its S shards: what the round shares (configuration, stage, sets, graph), the close
/// decisions made from the shards' reports, the broadcasts (key directory, survivor set, abort notices), and the
/// sum of the shards' partial results. Pure and deterministic like <see cref="IRoundShard"/>; its events are its
/// inputs: the reports of each close (<see cref="Decide"/>) and the shards' results (<see cref="Complete"/>).
/// A close runs: every shard's <see cref="IRoundShard.Report"/> → <see cref="Decide"/> → every shard's
/// <see cref="IRoundShard.Apply"/> → the batches to their shards' <see cref="IRoundShard.Receive"/> →
/// <see cref="Complete"/> with the S results. Not thread-safe: one owner per round.
/// </summary>
public interface IRoundRoot : IHostedRound
{
    /// <summary>How many shards the round has.</summary>
    int ShardCount { get; }

    /// <summary>The open stage with <paramref name="received"/> (the shards' <see cref="IRoundShard.Received"/>
    /// added) as its received count, or null once the round is over or while a close is being completed.</summary>
    RoundProgress? Progress(int received);

    /// <summary>The close the shards collect messages for (<see cref="IRoundShard.OpenClose"/>), or null when none is
    /// open or a close is being completed: the number a host passes to its shards' reports and counts. A scheme whose
    /// closes are its stages (masking) keeps this default; one with several closes per stage (HE H3 attempts) numbers
    /// its closes 0, 1, 2, ... instead.</summary>
    int? OpenClose => Progress(0)?.Stage;

    /// <summary>Decides the open stage's close from the S shards' reports and applies the decision.</summary>
    /// <exception cref="InvalidOperationException">No stage is open, or the reports are not one per shard for it.</exception>
    StageDecision Decide(IReadOnlyList<ShardReport> reports);

    /// <summary>Completes the decided close from the S shards' results: the close's messages (the root's broadcast
    /// first, then the shards' messages by ascending recipient) and, when the round ended, how.</summary>
    /// <exception cref="InvalidOperationException">No close was decided, or the results are not one per shard for it.</exception>
    StageClose Complete(IReadOnlyList<ShardResult> results);
}
