using SecureFed.Protocol.Server;

namespace SecureFed.Protocol.Hosting;

/// <summary>
/// One round's server side as any host drives it, whatever the scheme: feed it the bytes of client envelopes and
/// the host's decisions to close a stage, read what it sends and how the round ends. No I/O, clock or randomness:
/// the state is a function of the accepted envelopes and the closes, in order, so a host persists exactly those
/// events (an append-only log) and rebuilds the round by applying them again to <see cref="IRoundProtocol.Start"/>'s
/// fresh server. Refused envelopes change nothing. Not thread-safe: one owner (a lock, an actor) per round.
/// </summary>
public interface IRoundServer : IHostedRound
{
    /// <summary>The open stage, or null once the round is over.</summary>
    RoundProgress? Progress { get; }

    /// <summary>Records one client envelope, or refuses it leaving the round untouched.</summary>
    /// <returns>Null when accepted (the host then appends the bytes to the round's log), else why not.</returns>
    MessageRejection? Handle(ReadOnlyMemory<byte> envelope);

    /// <summary>Closes the open stage (all expected envelopes arrived, or the deadline passed): the state machine
    /// decides what follows, including an abort. Only valid while <see cref="Progress"/> is not null.</summary>
    /// <exception cref="InvalidOperationException">The round is over.</exception>
    StageClose Close();
}
