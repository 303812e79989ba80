using System.Diagnostics;
using System.Net;
using SecureFed.Client.Diagnostics;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;
using SecureFed.Transport;

namespace SecureFed.Client.Rounds;

/// <summary>
/// Runs a party through a round over HTTP (protocol-spec/transport.md section 2): sends its envelopes, long-polls each
/// close's messages and hands them to the party until it has a result. The one place where refusals and polls that
/// end a device's round become exceptions: a late envelope or a poll answered 410 means dropped, <c>round-closed</c>
/// means the round ended (its final message says how), anything else is a <see cref="RequestRefusedException"/>.
/// </summary>
internal sealed class ContributionDriver(SignedRequestSender sender, SecureFedClientOptions options, string roundId, Action<int, string> raise)
{
    /// <summary>
    /// Runs the round for <paramref name="party"/> (disposed when its round ends, however it ends) from
    /// <paramref name="info"/>. Only the party's <see cref="IRoundParty.Begin"/> reads the info, before anything is
    /// awaited: no device holds its round info (the configuration with the whole roster) through the round.
    /// </summary>
    public Task<ContributionResult> RunAsync(IRoundParty party, RoundInfo info, CancellationToken ct)
    {
        IReadOnlyList<PartyEnvelope> first;
        try
        {
            first = party.Begin(info);
        }
        catch
        {
            party.Dispose();
            throw;
        }
        return RunStagesAsync(party, first, ct);
    }

    // Between stages a device holds only its party's state: the envelopes are let go once sent, a close's messages
    // once the party has them.
    private async Task<ContributionResult> RunStagesAsync(IRoundParty party, IReadOnlyList<PartyEnvelope> send, CancellationToken ct)
    {
        using (party)
        {
            ContributionResult? result = null;
            int next = 0, lastStage = 0;
            while (true)
            {
                // One span per close this party waits for: its sends, then the poll that brings the close's messages.
                using Activity? stageSpan = ClientTracing.Source.StartActivity("securefed.stage", ActivityKind.Internal);
                stageSpan?.SetTag("securefed.round.id", roundId);
                stageSpan?.SetTag("securefed.close", next);
                foreach (PartyEnvelope envelope in send)
                {
                    await SendAsync(party, envelope, next, ct).ConfigureAwait(false);
                    lastStage = envelope.Stage;
                }
                send = [];
                if (result is not null)
                {
                    raise(lastStage, "completed");
                    return result;
                }
                (int close, PartyStep step) = await PollAndReceiveAsync(party, next, ct).ConfigureAwait(false);
                lastStage = Math.Min(close, party.StageCount - 1);
                (send, result) = (step.Send, step.Result);
                next = close + 1;
            }
        }
    }

    // The close's messages live only in this call: the party keeps what it needs of them.
    private async Task<(int Close, PartyStep Step)> PollAndReceiveAsync(IRoundParty party, int next, CancellationToken ct)
    {
        (int close, IReadOnlyList<byte[]> messages) = await PollAsync(party.Delivery, next, ct).ConfigureAwait(false);
        raise(Math.Min(close, party.StageCount - 1), "received");
        return (close, party.Receive(close, messages));
    }

    private async Task SendAsync(IRoundParty party, PartyEnvelope envelope, int next, CancellationToken ct)
    {
        var (status, content) = await sender.SendAsync(HttpMethod.Post, $"/v1/rounds/{roundId}/messages", envelope.Bytes, TimeSpan.Zero, ct)
            .ConfigureAwait(false);
        if (status == HttpStatusCode.OK)
        {
            raise(envelope.Stage, "sent");
            return;
        }
        RequestRefusedException refusal = SignedRequestSender.Refusal(status, content);
        switch (refusal.Problem)
        {
            case ProblemCode.WrongStage or ProblemCode.NotExpected:
                // Too late for this stage (or dropped before it): the round goes on without this role.
                if (party.GiveUp(envelope))
                {
                    return;
                }
                throw new DroppedFromRoundException(roundId, envelope.Stage, refusal.Message);
            case ProblemCode.RoundClosed:
                // The round ended: the next poll answers its final message, which the party turns into the outcome.
                (int close, IReadOnlyList<byte[]> messages) = await PollAsync(party.Delivery, next, ct).ConfigureAwait(false);
                party.Receive(close, messages);
                throw new DroppedFromRoundException(roundId, envelope.Stage, refusal.Message);
            default:
                throw refusal;
        }
    }

    // Long-polls until close `next` (or, for LatestClose delivery, a later one) is published.
    private async Task<(int Close, IReadOnlyList<byte[]> Messages)> PollAsync(ServerDelivery delivery, int next, CancellationToken ct)
    {
        string wait = $"?wait={(int)options.PollWait.TotalSeconds}";
        string path = delivery == ServerDelivery.OnePerStage ? $"/v1/rounds/{roundId}/messages/{next}{wait}" : $"/v1/rounds/{roundId}/he/closes/{next}{wait}";
        while (true)
        {
            var (status, content) = await sender.SendAsync(HttpMethod.Get, path, null, options.PollWait, ct).ConfigureAwait(false);
            switch (status)
            {
                case HttpStatusCode.OK when delivery == ServerDelivery.OnePerStage:
                    // A message every client gets (the key directory) is held once per process, not once per device.
                    return (next, [SharedReceivedMessages.Process.Share(content)]);
                case HttpStatusCode.OK:
                    HeDelivery d = Decode<HeDelivery>(roundId, content, nameof(HeDelivery));
                    return (d.Close, d.Messages ?? []);
                case HttpStatusCode.NoContent:
                    continue;
                case HttpStatusCode.Gone:
                    throw new DroppedFromRoundException(roundId, next, SignedRequestSender.Refusal(status, content).Message);
                default:
                    throw SignedRequestSender.Refusal(status, content);
            }
        }
    }

    // A server message of round `roundId`; a malformed one (named `what`) aborts the round for this device.
    internal static T Decode<T>(string roundId, byte[] content, string what)
        where T : class =>
        Decode<T>(content, e => new RoundAbortedException(roundId, AbortReason.InvalidServerMessage, $"malformed {what}: {e.Message}"));

    // Any MessagePack body the server answered; a malformed one becomes the caller's exception.
    internal static T Decode<T>(byte[] content, Func<MalformedMessageException, Exception> malformed)
        where T : class
    {
        try
        {
            return MessageCodec.Decode<T>(content, content.Length);
        }
        catch (MalformedMessageException e)
        {
            throw malformed(e);
        }
    }
}
