using SecureFed.Aggregator.Rounds;
using SecureFed.Cluster.Storage;
using SecureFed.Privacy.Ledger;
using SecureFed.Protocol.Hosting;

namespace SecureFed.Cluster.Rounds;

// A DP round's outcome and its privacy charge (docs/cluster-design.md section 3): the final close event and the
// ledger entry commit in ONE PostgreSQL transaction, under the federation's ledger lock, so no committed state has a
// completed DP round without its charge or a charge without its outcome. If the transaction fails, the activation
// retires and the next one replays the log (where the close is not) and closes, and charges, again. Both close paths
// come here: an unsharded round's Close event (empty payload) and a sharded root's Completed event (the shards'
// results), so a sharded DP round is charged in the same transaction as its completion.
internal sealed partial class RoundGrain
{
    private Task<bool> AppendCloseAsync(RoundRuntime rt, StageClose close) => AppendCloseAsync(rt, close, RoundLogKinds.Close, []);

    private Task<bool> AppendCloseAsync(RoundRuntime rt, StageClose close, short kind, byte[] payload)
    {
        if (close.End?.Result is not { } result || rt.Encoding?.Dp is not { } dp)
        {
            return AppendAsync(kind, payload);
        }
        long now = NowMs;
        return AppendAsync(seq => ledgers.UnderLockAsync(rt.Federation, async tx =>
        {
            PrivacyLedger ledger = tx.Ledger ?? throw new InvalidDataException($"federation '{rt.Federation}' has a DP round but no privacy ledger");
            RoundLogAppendOutcome outcome = await RoundLogStore.AppendInTransactionAsync(tx.Connection, tx.Transaction, _roundId,
                [new RoundLogEvent(Stream, seq, kind, payload)], CancellationToken.None);
            if (outcome != RoundLogAppendOutcome.Appended)
            {
                return (outcome, false);
            }
            PrivacyLedgerEntry entry = ledger.RecordRound(_roundId, dp, result.Survivors.Count, now);
            await tx.AppendAsync(entry, ledger, CancellationToken.None);
            return (outcome, true);
        }, CancellationToken.None));
    }
}
