using SecureFed.Protocol.Hosting;
using SecureFed.Transport;

namespace SecureFed.Client.Rounds;

/// <summary>
/// One device's side of one round, whatever the scheme: what to send first, and what to send (or how the round ended
/// for it) after each stage close's messages. No I/O: <see cref="ContributionDriver"/> sends, polls and retries.
/// Protocol outcomes are typed exceptions: <see cref="RoundAbortedException"/> (an abort notice, or a server that broke
/// the protocol) and <see cref="DroppedFromRoundException"/> (the round went on without this device).
/// </summary>
internal interface IRoundParty : IDisposable
{
    /// <summary>How the scheme's server messages are fetched.</summary>
    ServerDelivery Delivery { get; }

    /// <summary>Stages of the scheme (progress events name stage indices below it).</summary>
    int StageCount { get; }

    /// <summary>This device's id in the round.</summary>
    uint ClientId { get; }

    /// <summary>The envelopes to send before the first poll, given where the round stands.</summary>
    /// <exception cref="RoundAbortedException">The round was aborted.</exception>
    /// <exception cref="DroppedFromRoundException">The round is too far on for this device to join.</exception>
    IReadOnlyList<PartyEnvelope> Begin(RoundInfo info);

    /// <summary>Applies the messages of close <paramref name="close"/> (the latest close at or after the one polled).</summary>
    PartyStep Receive(int close, IReadOnlyList<byte[]> messages);

    /// <summary>The server refused <paramref name="envelope"/> as too late (<c>wrong-stage</c>, <c>not-expected</c>):
    /// the party gives up the role that sent it; true when it still has a part in the round.</summary>
    bool GiveUp(PartyEnvelope envelope);
}
