using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using SecureFed.Aggregator.Hosting;
using SecureFed.Aggregator.Http;
using SecureFed.Aggregator.Protocols;
using SecureFed.Aggregator.Storage;
using SecureFed.Aggregator.Transcripts;
using SecureFed.Cluster.Storage;
using SecureFed.Protocol.Hosting;
using SecureFed.Transcripts;
using SecureFed.Transport;

namespace SecureFed.Cluster.Rounds;

/// <summary>
/// A finished cluster round's transcript, built by any silo's front end from what PostgreSQL holds: the round's row
/// (configuration, DP plan) and its log, replayed on a fresh server of the same engine. The log is exactly what the
/// single node's transcript records (each accepted envelope, each close with what it sent, the operator's abort), in
/// the order the round took them, each at the time its append committed; the file is written and signed in the
/// scheme's format by the same code as the single node's, so <c>securefed audit verify</c> checks it the same way.
/// </summary>
internal sealed class ClusterTranscripts(NpgsqlDataSource dataSource, RoundCatalog catalog, HostedSchemes schemes, IOptions<AggregatorOptions> options)
{
    /// <summary>The signed transcript file of round <paramref name="id"/> (lowercase hex).</summary>
    /// <exception cref="AggregatorProblemException">404 unknown-round or no-transcript; 409 round-running.</exception>
    public async Task<byte[]> BuildAsync(string id, Func<TranscriptSigningKey> key, CancellationToken ct)
    {
        if (!options.Value.TranscriptsEnabled)
        {
            throw new AggregatorProblemException(ProblemCode.NoTranscript, $"round {id} was opened without transcripts (enable Aggregator:TranscriptsEnabled)");
        }
        byte[] roundId = Convert.FromHexString(id);
        ClusterRoundRow row = await catalog.FindAsync(roundId, ct).ConfigureAwait(false)
            ?? throw new AggregatorProblemException(ProblemCode.UnknownRound, $"no round {id}");
        IHostedScheme scheme = schemes[(RoundScheme)row.Scheme];
        (ReadOnlyMemory<byte> configuration, List<RecordedMessage> messages, RoundEnd? end) = row.ShardCount > 1
            ? await ShardedAsync(id, row, scheme, ct).ConfigureAwait(false)
            : await UnshardedAsync(id, row, scheme, ct).ConfigureAwait(false);
        if (end is null)
        {
            throw new AggregatorProblemException(ProblemCode.RoundRunning, $"round {id} is still running; its transcript is written when it ends");
        }
        using var file = new MemoryStream();
        scheme.WriteTranscript(file, configuration, messages, end, key().Key, RoundEncoding.FromStored(row.FloatEncoding, row.DpPlan)?.Dp);
        return file.ToArray();
    }

    // A round in one grain: stream 0 holds the envelopes, closes and abort; a fresh server replays them.
    private async Task<(ReadOnlyMemory<byte>, List<RecordedMessage>, RoundEnd?)> UnshardedAsync(string id, ClusterRoundRow row, IHostedScheme scheme,
        CancellationToken ct)
    {
        IRoundServer server = scheme.Protocol.Start(row.Configuration, row.MinimumClients);
        var messages = new List<RecordedMessage>();
        RoundEnd? end = null;
        await foreach (LoggedEvent e in ReadAsync(row.RoundId, ct).ConfigureAwait(false))
        {
            switch (e.Kind)
            {
                case RoundLogKinds.Envelope:
                {
                    (uint client, ReadOnlyMemory<byte> envelope) = RoundLogKinds.ReadEnvelope(e.Payload);
                    if (server.Handle(envelope) is { } refused)
                    {
                        throw new InvalidDataException($"round {id}: log event {e.Sequence} (client {client}) is refused on replay: {refused}");
                    }
                    messages.Add(new RecordedMessage(TranscriptRecordKind.ClientToServer, client, e.AtUs, envelope.ToArray()));
                    break;
                }
                case RoundLogKinds.Close:
                {
                    if (scheme.TranscriptRecordsCloses)
                    {
                        messages.Add(new RecordedMessage(TranscriptRecordKind.StageClosed, 0, e.AtUs, []));
                    }
                    StageClose close = server.Close();
                    Sent(messages, close, e.AtUs);
                    end = close.End;
                    break;
                }
                case RoundLogKinds.Abort:
                {
                    StageClose abort = server.Abort(Encoding.UTF8.GetString(e.Payload.Span));
                    Sent(messages, abort, e.AtUs);
                    end = abort.End;
                    break;
                }
                default:
                    throw new InvalidDataException($"round {id}: log event {e.Sequence} has unknown kind {e.Kind}");
            }
        }
        return (server.Configuration, messages, end);
    }

    // A sharded round (docs/cluster-design.md section 2): the envelopes are in the shards' streams (1 + i), the root's
    // decisions and completions in stream 0. A shard takes no envelope between its report and the decision, so the
    // envelopes of close k in a shard's stream are those after its decision k-1 and before its decision k; they are
    // recorded (in commit order across shards) before close k's answers, which a fresh root rebuilds from the logged
    // reports and results, as the round grain's replay does. The records are those of the same round on one node.
    private async Task<(ReadOnlyMemory<byte>, List<RecordedMessage>, RoundEnd?)> ShardedAsync(string id, ClusterRoundRow row, IHostedScheme scheme,
        CancellationToken ct)
    {
        IShardedRoundProtocol protocol = scheme.Protocol as IShardedRoundProtocol
            ?? throw new InvalidDataException($"round {id} has {row.ShardCount} shards but its scheme {scheme.Scheme} does not shard");
        IRoundRoot root = protocol.StartRoot(row.Configuration, row.MinimumClients, row.ShardCount);
        var rootEvents = new List<LoggedEvent>();
        var envelopes = new SortedDictionary<int, List<LoggedEvent>>(); // by close
        var decided = new Dictionary<int, int>(); // per stream: decisions applied so far
        await foreach (LoggedEvent e in ReadAsync(row.RoundId, ct).ConfigureAwait(false))
        {
            if (e.Stream == 0)
            {
                rootEvents.Add(e);
                continue;
            }
            int close = decided.GetValueOrDefault(e.Stream);
            if (e.Kind == ShardLogKinds.Envelope)
            {
                if (!envelopes.TryGetValue(close, out List<LoggedEvent>? list))
                {
                    envelopes[close] = list = [];
                }
                list.Add(e);
            }
            else if (e.Kind == ShardLogKinds.Decision)
            {
                decided[e.Stream] = ShardCodec.ReadDecision(e.Payload).Close + 1;
            }
        }
        var messages = new List<RecordedMessage>();
        RoundEnd? end = null;
        int recorded = 0; // envelopes of closes below this are recorded
        void RecordEnvelopesUpTo(int close)
        {
            for (; recorded <= close; recorded++)
            {
                if (envelopes.TryGetValue(recorded, out List<LoggedEvent>? list))
                {
                    foreach (LoggedEvent e in list.OrderBy(e => e.AtUs).ThenBy(e => e.Stream).ThenBy(e => e.Sequence))
                    {
                        (uint client, ReadOnlyMemory<byte> envelope) = RoundLogKinds.ReadEnvelope(e.Payload);
                        messages.Add(new RecordedMessage(TranscriptRecordKind.ClientToServer, client, e.AtUs, envelope.ToArray()));
                    }
                }
            }
        }
        foreach (LoggedEvent e in rootEvents)
        {
            switch (e.Kind)
            {
                case RoundLogKinds.Decided:
                {
                    StageDecision decision = root.Decide(ShardCodec.ReadReports(e.Payload));
                    RecordEnvelopesUpTo(decision.Close);
                    if (scheme.TranscriptRecordsCloses)
                    {
                        messages.Add(new RecordedMessage(TranscriptRecordKind.StageClosed, 0, e.AtUs, []));
                    }
                    break;
                }
                case RoundLogKinds.Completed:
                {
                    StageClose close = root.Complete(ShardCodec.ReadResults(e.Payload));
                    Sent(messages, close, e.AtUs);
                    end = close.End;
                    break;
                }
                case RoundLogKinds.Abort:
                {
                    // Every envelope the shards took and no close recorded yet (the open stage's), then the abort's answers.
                    RecordEnvelopesUpTo(envelopes.Count > 0 ? Math.Max(recorded, envelopes.Keys.Max()) : recorded);
                    StageClose abort = root.Abort(Encoding.UTF8.GetString(e.Payload.Span));
                    Sent(messages, abort, e.AtUs);
                    end = abort.End;
                    break;
                }
                default:
                    throw new InvalidDataException($"round {id}: root log event {e.Sequence} has unknown kind {e.Kind}");
            }
        }
        return (root.Configuration, messages, end);
    }

    // One server-to-client record per recipient, ascending, with the bytes the recipient's poll returns (as the single node stores them).
    private static void Sent(List<RecordedMessage> messages, StageClose close, long atUs) =>
        messages.AddRange(close.Sent.SelectMany(m => TranscriptEntry.ToRecipients(m.Recipients, 0, m.Bytes))
            .Select(t => new RecordedMessage(TranscriptRecordKind.ServerToClient, t.Party, atUs, t.Payload)));

    // Every stream's events (0: the root, 1 + i: shard i), each timed from the round's opening by its append's commit.
    private async IAsyncEnumerable<LoggedEvent> ReadAsync(byte[] roundId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using NpgsqlCommand read = dataSource.CreateCommand("""
            SELECT GREATEST(0, (extract(epoch FROM l.appended_at) * 1000)::bigint - (extract(epoch FROM r.opened_at) * 1000)::bigint) * 1000,
                   l.stream, l.seq, l.kind, l.payload
            FROM securefed_round_log l JOIN securefed_rounds r ON r.round_id = l.round_id
            WHERE l.round_id = @round ORDER BY l.stream, l.seq
            """);
        read.Parameters.Add(new NpgsqlParameter<byte[]>("round", NpgsqlDbType.Bytea) { TypedValue = roundId });
        await using NpgsqlDataReader r = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            yield return new LoggedEvent(r.GetInt64(0), r.GetInt32(1), r.GetInt64(2), r.GetInt16(3), r.GetFieldValue<byte[]>(4));
        }
    }

    private sealed record LoggedEvent(long AtUs, int Stream, long Sequence, short Kind, ReadOnlyMemory<byte> Payload);
}
