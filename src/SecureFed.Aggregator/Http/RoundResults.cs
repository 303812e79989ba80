using Microsoft.Extensions.Options;
using SecureFed.Aggregator.Hosting;
using SecureFed.Aggregator.Rounds;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;
using SecureFed.Transport;

namespace SecureFed.Aggregator.Http;

/// <summary>
/// <c>GET /v1/rounds/{id}/result</c> (protocol-spec/transport.md section 2.3): a roster member long-polls for the sums
/// of a completed round, which a float round's clients decode into the average with the round's encoding. 204 while
/// the round runs, 409 <c>round-not-completed</c> once it was aborted.
/// </summary>
internal static class RoundResults
{
    public static async Task<IResult> GetAsync(string roundId, HttpContext context, IRoundHost rounds, RequestAuthenticator auth,
        IOptions<AggregatorOptions> options)
    {
        var (round, _, _) = await ClientEndpoints.MemberRequestAsync(roundId, context, rounds, auth).ConfigureAwait(false);
        byte[]? body = await rounds.PollResultAsync(round, TimeSpan.FromSeconds(ClientEndpoints.PollWait(context, options)), context.RequestAborted).ConfigureAwait(false);
        return body is not null ? Results.Bytes(body, TransportHeaders.MessagePack) : ClientEndpoints.NothingYet(context);
    }
}
