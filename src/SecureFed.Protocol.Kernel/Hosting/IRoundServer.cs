using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Server;

namespace SecureFed.Protocol.Hosting;

/// <summary>
/// One round's server side as any host drives it, whatever the scheme: feed it the bytes of client envelopes and
/// the host's decisions to close a stage, read what it sends and how the round ends. No I/O, clock or randomness:
/// the state is a function of the accepted envelopes and the closes, in order, so a host persists exactly those
/// events (an append-only log) and rebuilds the round by applying them again to <see cref="IRoundProtocol.Start"/>'s
/// fresh server. Refused envelopes change nothing. Not thread-safe: one owner (a lock, an actor) per round.
/// </summary>
public interface IRoundServer
{
    /// <summary>The scheme the round runs.</summary>
    RoundScheme Scheme { get; }

    /// <summary>How clients fetch the server's messages.</summary>
    ServerDelivery Delivery { get; }

    /// <summary>The round's 16-byte id (from its configuration).</summary>
    ReadOnlyMemory<byte> RoundId { get; }

    /// <summary>The canonical configuration bytes (what clients fetch and hash into every signature).</summary>
    ReadOnlyMemory<byte> Configuration { get; }

    /// <summary>Roster: identity key per client id.</summary>
    IReadOnlyDictionary<uint, IdentityPublicKey> Identities { get; }

    /// <summary>The scheme's threshold (masking: Shamir t; HE: decryption shares needed).</summary>
    int Threshold { get; }

    /// <summary>How many stage deadlines a round takes (the host's list of per-stage deadlines has this length).</summary>
    int StageCount { get; }

    /// <summary>The largest envelope any stage accepts (the transport's read limit; each stage enforces its own).</summary>
    long MaxEnvelopeBytes { get; }

    /// <summary>The open stage, or null once the round is over.</summary>
    RoundProgress? Progress { get; }

    /// <summary>How the round ended, or null while it runs.</summary>
    RoundEnd? End { get; }

    /// <summary>The sender an envelope claims, or null when the bytes are not an envelope of this scheme (the
    /// transport checks it against the request's signer before <see cref="Handle"/> refuses it precisely).</summary>
    uint? ClaimedSender(ReadOnlyMemory<byte> envelope);

    /// <summary>Records one client envelope, or refuses it leaving the round untouched.</summary>
    /// <returns>Null when accepted (the host then appends the bytes to the round's log), else why not.</returns>
    MessageRejection? Handle(ReadOnlyMemory<byte> envelope);

    /// <summary>Closes the open stage (all expected envelopes arrived, or the deadline passed): the state machine
    /// decides what follows, including an abort. Only valid while <see cref="Progress"/> is not null.</summary>
    /// <exception cref="InvalidOperationException">The round is over.</exception>
    StageClose Close();

    /// <summary>Ends a running round at the host's request (an operator abort): the abort notice to the clients the
    /// scheme tells. Not part of the log: the host stores the outcome instead.</summary>
    /// <exception cref="InvalidOperationException">The round is over.</exception>
    StageClose Abort(string detail);
}
