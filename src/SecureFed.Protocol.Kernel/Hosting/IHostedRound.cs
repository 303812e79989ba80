using SecureFed.Primitives.Signatures;

namespace SecureFed.Protocol.Hosting;

/// <summary>
/// What a host reads of a round whether it runs whole (<see cref="IRoundServer"/>) or as a root over shards
/// (<see cref="IRoundRoot"/>): its facts, how it ended, and the operator's abort.
/// </summary>
public interface IHostedRound
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

    /// <summary>How the round ended, or null while it runs.</summary>
    RoundEnd? End { get; }

    /// <summary>The sender an envelope claims (the shard it goes to), or null when the bytes are not an envelope of
    /// this scheme (the transport checks it against the request's signer before the round refuses it precisely).</summary>
    uint? ClaimedSender(ReadOnlyMemory<byte> envelope);

    /// <summary>Ends a running round at the host's request (an operator abort): the abort notice to the clients the
    /// scheme tells. Not an event of the log: the host stores the outcome instead (and, sharded, stops feeding the
    /// shards).</summary>
    /// <exception cref="InvalidOperationException">The round is over.</exception>
    StageClose Abort(string detail);
}
