using System.Diagnostics;
using SecureFed.Protocol.Simulation;

using SecureFed.Transcripts;

namespace SecureFed.Audit.Transcripts;

/// <summary>
/// Collects every message of a simulated round, in delivery order, as the aggregator sees it. The round
/// configuration is known only after the run, so the messages are kept in memory and written by
/// <see cref="TranscriptWriter"/> afterwards.
/// </summary>
public sealed class TranscriptRecorder : IWireObserver
{
    private readonly object _lock = new();
    private readonly List<RecordedMessage> _messages = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>The messages recorded so far, in order.</summary>
    public IReadOnlyList<RecordedMessage> Messages
    {
        get
        {
            lock (_lock)
            {
                return [.. _messages];
            }
        }
    }

    /// <inheritdoc />
    public void ClientToServer(uint clientId, ReadOnlySpan<byte> bytes) => Add(TranscriptRecordKind.ClientToServer, clientId, bytes);

    /// <inheritdoc />
    public void ServerToClient(uint clientId, ReadOnlySpan<byte> bytes) => Add(TranscriptRecordKind.ServerToClient, clientId, bytes);

    private void Add(TranscriptRecordKind kind, uint party, ReadOnlySpan<byte> bytes)
    {
        long micros = _clock.ElapsedTicks * 1_000_000 / Stopwatch.Frequency;
        byte[] copy = bytes.ToArray();
        lock (_lock)
        {
            _messages.Add(new RecordedMessage(kind, party, micros, copy));
        }
    }
}
