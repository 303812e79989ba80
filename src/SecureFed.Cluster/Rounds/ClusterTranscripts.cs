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
using SecureFed.Protocol.Configuration;
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
        IRoundServer server = scheme.Protocol.Start(row.Configuration, row.MinClients);
        long openedAtMs = 0;
        var messages = new List<RecordedMessage>();
        RoundEnd? end = null;
        await foreach ((long atMs, long opened, RoundLogEvent e) in ReadAsync(roundId, ct).ConfigureAwait(false))
        {
            openedAtMs = opened;
            long atUs = Math.Max(0, atMs - openedAtMs) * 1000;
            switch (e.Kind)
            {
                case RoundLogKinds.Envelope:
                {
                    (uint client, ReadOnlyMemory<byte> envelope) = RoundLogKinds.ReadEnvelope(e.Payload);
                    if (server.Handle(envelope) is { } refused)
                    {
                        throw new InvalidDataException($"round {id}: log event {e.Sequence} (client {client}) is refused on replay: {refused}");
                    }
                    messages.Add(new RecordedMessage(TranscriptRecordKind.ClientToServer, client, atUs, envelope.ToArray()));
                    break;
                }
                case RoundLogKinds.Close:
                {
                    if (scheme.TranscriptRecordsCloses)
                    {
                        messages.Add(new RecordedMessage(TranscriptRecordKind.StageClosed, 0, atUs, []));
                    }
                    StageClose close = server.Close();
                    Sent(messages, close, atUs);
                    end = close.End;
                    break;
                }
                case RoundLogKinds.Abort:
                {
                    StageClose abort = server.Abort(Encoding.UTF8.GetString(e.Payload.Span));
                    Sent(messages, abort, atUs);
                    end = abort.End;
                    break;
                }
                default:
                    throw new InvalidDataException($"round {id}: log event {e.Sequence} has unknown kind {e.Kind}");
            }
        }
        if (end is null)
        {
            throw new AggregatorProblemException(ProblemCode.RoundRunning, $"round {id} is still running; its transcript is written when it ends");
        }
        using var file = new MemoryStream();
        scheme.WriteTranscript(file, server.Configuration, messages, end, key().Key, RoundEncoding.FromStored(row.FloatEncoding, row.DpPlan)?.Dp);
        return file.ToArray();
    }

    // One server-to-client record per recipient, ascending, with the bytes the recipient's poll returns (as the single node stores them).
    private static void Sent(List<RecordedMessage> messages, StageClose close, long atUs) =>
        messages.AddRange(close.Sent.SelectMany(m => TranscriptEntry.ToRecipients(m.Recipients, 0, m.Bytes))
            .Select(t => new RecordedMessage(TranscriptRecordKind.ServerToClient, t.Party, atUs, t.Payload)));

    private async IAsyncEnumerable<(long AtMs, long OpenedAtMs, RoundLogEvent Event)> ReadAsync(byte[] roundId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using NpgsqlCommand read = dataSource.CreateCommand("""
            SELECT (extract(epoch FROM l.appended_at) * 1000)::bigint, (extract(epoch FROM r.opened_at) * 1000)::bigint, l.seq, l.kind, l.payload
            FROM securefed_round_log l JOIN securefed_rounds r ON r.round_id = l.round_id
            WHERE l.round_id = @round AND l.stream = 0 ORDER BY l.seq
            """);
        read.Parameters.Add(new NpgsqlParameter<byte[]>("round", NpgsqlDbType.Bytea) { TypedValue = roundId });
        await using NpgsqlDataReader r = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            yield return (r.GetInt64(0), r.GetInt64(1), new RoundLogEvent(0, r.GetInt64(2), r.GetInt16(3), r.GetFieldValue<byte[]>(4)));
        }
    }
}
