using System.Diagnostics;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Server;
using SecureFed.HeProtocol.Simulation;
using SecureFed.Protocol.Messages;

using SecureFed.Transcripts;

namespace SecureFed.Audit.Transcripts;

/// <summary>
/// Records the transcript of an in-process HE round (<see cref="HeRoundSimulator"/> run with KeepServerLog). The
/// simulator keeps the server's log (accepted envelopes and stage closes); this class feeds that log through a
/// fresh server one entry at a time, as HeServer.Replay does, to place each close's outgoing messages after it,
/// and checks they are byte for byte the messages the simulated server sent.
/// </summary>
public static class HeSimulationTranscript
{
    /// <summary>
    /// The transcript's message records: ClientToServer per accepted envelope, StageClosed per close, then one
    /// ServerToClient per recipient of each outgoing message. ElapsedMicroseconds is the recorder's clock while it
    /// re-runs the server (the simulator keeps no per-message times).
    /// </summary>
    /// <exception cref="InvalidOperationException">The log is empty (KeepServerLog was off), refused, or disagrees with the messages the simulator sent.</exception>
    public static IReadOnlyList<RecordedMessage> Record(HeRoundParameters parameters, HeSimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(result);
        if (result.ServerLog.Count == 0)
        {
            throw new InvalidOperationException("the simulation kept no server log: run it with HeSimulationOptions.KeepServerLog = true");
        }
        var clock = Stopwatch.StartNew();
        var messages = new List<RecordedMessage>();
        HeServerState state = HeServer.Start(parameters);
        int sent = 0;
        foreach (HeServerLogEntry entry in result.ServerLog)
        {
            long micros = clock.ElapsedTicks * 1_000_000 / Stopwatch.Frequency;
            if (!entry.IsClose)
            {
                HeServerTransition accepted = state.HandleBytes(entry.Envelope);
                if (accepted.Rejection is { } rejection)
                {
                    throw new InvalidOperationException($"the simulation's server log does not replay: {rejection}");
                }
                uint sender = MessageCodec.Decode<HeEnvelope>(entry.Envelope, entry.Envelope!.Length).SenderId;
                messages.Add(new RecordedMessage(TranscriptRecordKind.ClientToServer, sender, micros, entry.Envelope));
                continue;
            }
            HeServerTransition t = state.CloseStage();
            state = t.Next;
            messages.Add(new RecordedMessage(TranscriptRecordKind.StageClosed, 0, micros, []));
            foreach (HeOutgoingMessage outgoing in t.Outgoing)
            {
                byte[] bytes = MessageCodec.Encode(outgoing.Message);
                if (sent >= result.ServerMessages.Count || !result.ServerMessages[sent].Bytes.AsSpan().SequenceEqual(bytes)
                    || !result.ServerMessages[sent].Recipients.SequenceEqual(outgoing.Recipients))
                {
                    throw new InvalidOperationException($"server message {sent} of the simulation differs from the replayed server's");
                }
                sent++;
                micros = clock.ElapsedTicks * 1_000_000 / Stopwatch.Frequency;
                foreach (uint recipient in outgoing.Recipients)
                {
                    messages.Add(new RecordedMessage(TranscriptRecordKind.ServerToClient, recipient, micros, bytes));
                }
            }
        }
        if (sent != result.ServerMessages.Count)
        {
            throw new InvalidOperationException($"the simulation sent {result.ServerMessages.Count} server messages, the replayed server {sent}");
        }
        return messages;
    }

    /// <summary>
    /// Records and writes the transcript of a simulated round to <paramref name="path"/>, signed by a fresh
    /// aggregator key: from <c>DeterministicRandomSource.Derive(seed, "aggregator")</c> when a seed is given, else
    /// the OS CSPRNG. Returns the aggregator's public key (hex) for the operator to publish.
    /// </summary>
    public static string Write(string path, HeRoundParameters parameters, HeSimulationResult result, long? seed, DpRoundRecord? dp = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(result);
        IReadOnlyList<RecordedMessage> messages = Record(parameters, result);
        HeTranscriptResult published = HeTranscriptResult.From(result.Final, result.Attempts);
        if (dp is not null && published.Completed)
        {
            // The aggregator's claim: the accountant charged with the contributors actually summed.
            published.ClaimedEpsilon = Privacy.Accounting.DistributedDpAccountant.Project(dp.ToPlan(), published.Contributors.Length, rounds: 1).Epsilon;
        }
        return SimulationTranscript.WriteSigned(path, seed, (file, aggregator) =>
            TranscriptWriter.Write(file, parameters.Configuration, messages, published, aggregator, dp: dp));
    }
}
