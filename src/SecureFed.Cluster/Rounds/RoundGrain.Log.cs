using System.Security.Cryptography;
using System.Text;
using SecureFed.Aggregator.Rounds;
using SecureFed.Cluster.Storage;
using SecureFed.Protocol.Server;

namespace SecureFed.Cluster.Rounds;

// The round grain's log: every event of stream 0 goes through one group-commit appender in the order the engine saw it;
// an append that is not durable retires the activation (the next one replays the log); closes, aborts and timer ticks
// run as writer turns; the replay that rebuilds the engine from the log.
internal sealed partial class RoundGrain
{
    // One event at the stream's next number, queued at once (in call order) and committed with its batch. False (and
    // this activation retired) when it is not durable.
    private Task<bool> AppendAsync(short kind, byte[] payload) => DurableAsync(_appender?.AppendAsync(kind, payload));

    // One event that append writes by itself at its sequence number, in queue order (a DP close with its charge).
    private Task<bool> AppendAsync(Func<long, Task<RoundLogAppendOutcome>> append) => DurableAsync(_appender?.AppendAloneAsync(append));

    private async Task<bool> DurableAsync(Task<RoundLogAppendOutcome>? queued)
    {
        if (queued is null)
        {
            return false;
        }
        RoundLogAppendOutcome outcome;
        try
        {
            outcome = await queued;
        }
        catch (Exception e)
        {
            // Whatever failed, the engine holds an event the log may not: only a replay from the log is right now.
            Retire($"the round's log could not be written ({e.GetType().Name}); retry");
            return false;
        }
        if (outcome != RoundLogAppendOutcome.Appended)
        {
            // SequenceTaken: another activation of this round wrote first (a membership change); it is the live one.
            Retire($"the round's log answered {outcome}; retry");
            return false;
        }
        return true;
    }

    private GroupLogAppender NewAppender(long nextSequence) => new(events => log.AppendAsync(_roundId, events), Stream, nextSequence);

    // Runs a close, an abort or a timer tick with the round's Submits held back until it ends (they queue no event
    // meanwhile); one such turn at a time.
    private Task AsWriterTurnAsync(Func<Task> turn) => _writerTurn.RunAsync(turn);

    private void Retire(string why)
    {
        if (_unavailable is not null)
        {
            return; // every waiter of a failed batch lands here; the first one retires the activation
        }
        _unavailable = why;
        _timer?.Dispose();
        _timer = null;
        LogRetired(Id, why);
        DeactivateOnIdle();
    }

    private async Task ReplayAsync(RoundRuntime rt, CancellationToken ct)
    {
        long next = 0;
        await foreach (RoundLogEvent e in log.ReadAsync(_roundId, Stream, 0, ct))
        {
            if (e.Sequence != next)
            {
                throw new InvalidDataException($"round {Id}: log event {e.Sequence} where {next} was expected");
            }
            switch (e.Kind)
            {
                case RoundLogKinds.Envelope:
                {
                    (uint client, ReadOnlyMemory<byte> envelope) = RoundLogKinds.ReadEnvelope(e.Payload);
                    if (rt.Server.Handle(envelope) is MessageRejection r)
                    {
                        throw new InvalidDataException($"round {Id}: log event {e.Sequence} (client {client}) is refused on replay: {r}");
                    }
                    rt.Accepted(client, Convert.ToHexString(SHA256.HashData(envelope.Span)));
                    break;
                }
                case RoundLogKinds.Close:
                    rt.ApplyClose(rt.Server.Close());
                    break;
                case RoundLogKinds.Abort:
                    rt.Finish(rt.Server.Abort(Encoding.UTF8.GetString(e.Payload.Span)).End!);
                    break;
                case RoundLogKinds.Decided or RoundLogKinds.Completed:
                    ReplaySharded(rt, e);
                    break;
                default:
                    throw new InvalidDataException($"round {Id}: log event {e.Sequence} has unknown kind {e.Kind}");
            }
            next++;
        }
        _appender = NewAppender(next);
    }
}
