using SecureFed.Privacy.Rounds;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Updates;
using SecureFed.Transport;

namespace SecureFed.Client.Rounds;

/// <summary>
/// The float encoding a round carries (RoundInfo keys 7 and 8, protocol-spec/transport.md section 2.3), validated on the
/// device: a DP plan is rebuilt with its rotation seed derived from the round id, never taken from the server, and the
/// encoding's vectors must be exactly the round configuration's.
/// </summary>
internal static class RoundUpdateEncodings
{
    private const int MaxEncodingBytes = 4096;

    /// <exception cref="RoundAbortedException">The round carries no float encoding, an invalid one, or one whose vectors are not the round's.</exception>
    public static IRoundUpdateEncoding Create(string roundId, RoundInfo info)
    {
        if (!WireNames.TryParseScheme(info.Scheme, out RoundScheme scheme) || scheme != RoundScheme.Masking || (info.FloatEncoding is null && info.Dp is null))
        {
            throw new RequestRefusedException(409, "not-a-float-round",
                $"round {roundId} carries no float encoding; contribute integer vectors with ContributeAsync(roundId, ulong[][])");
        }
        try
        {
            byte[] id = Convert.FromHexString(roundId);
            IRoundUpdateEncoding encoding = info.Dp is { } dp
                ? new DpUpdateEncoding(DpRoundParameters.Create(MessageCodec.Decode<DpRoundConfiguration>(dp, MaxEncodingBytes)), DpRotationSeed.For(id))
                : new PlainUpdateEncoding(FloatEncodingParameters.Create(MessageCodec.Decode<FloatEncodingConfiguration>(info.FloatEncoding!, MaxEncodingBytes)));
            VectorSpec[] round = [.. MessageCodec.Decode<RoundConfiguration>(info.Configuration, info.Configuration.Length).Vectors ?? []];
            VectorSpec[] expected = encoding.Vectors();
            if (round.Length != expected.Length || round.Zip(expected).Any(p => p.First.Length != p.Second.Length || p.First.Bits != p.Second.Bits))
            {
                throw new RoundAbortedException(roundId, AbortReason.InvalidServerMessage, "the round's vectors are not those of its float encoding");
            }
            return encoding;
        }
        catch (Exception e) when (e is MalformedMessageException or ArgumentException)
        {
            throw new RoundAbortedException(roundId, AbortReason.InvalidServerMessage, $"invalid float encoding: {e.Message}");
        }
    }
}
