using SecureFed.HeProtocol.Configuration;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Updates;
using SecureFed.Transport;

namespace SecureFed.Client.Rounds;

/// <summary>
/// The float encoding a round's configuration carries (RoundConfiguration keys 7/8, HeRoundConfiguration keys 16/17,
/// covered by the configuration hash every signature binds), validated on the device: a DP plan's rotation seed is
/// derived from the round id, never taken from the server. The party validates the rest of the configuration (that the
/// encoding's vectors are the round's) before anything is sent.
/// </summary>
internal static class RoundUpdateEncodings
{
    private const int MaxConfigurationBytes = 64 << 20;

    /// <exception cref="RequestRefusedException">409 not-a-float-round: the round carries no float encoding.</exception>
    /// <exception cref="RoundAbortedException">The configuration or its encoding is invalid.</exception>
    public static RoundUpdate Create(string roundId, RoundInfo info)
    {
        try
        {
            bool he = WireNames.TryParseScheme(info.Scheme, out RoundScheme scheme) && scheme == RoundScheme.He;
            FloatRoundEncoding? encoding;
            if (he)
            {
                var c = MessageCodec.Decode<HeRoundConfiguration>(info.Configuration, MaxConfigurationBytes);
                encoding = FloatRoundEncoding.Create(c.FloatEncoding, c.Dp, c.Roster?.Length ?? 0);
            }
            else
            {
                var c = MessageCodec.Decode<RoundConfiguration>(info.Configuration, MaxConfigurationBytes);
                encoding = FloatRoundEncoding.Create(c.FloatEncoding, c.Dp, c.Roster?.Length ?? 0);
            }
            if (encoding is null)
            {
                throw new RequestRefusedException(409, "not-a-float-round",
                    $"round {roundId} carries no float encoding; contribute integer vectors with ContributeAsync(roundId, ulong[][])");
            }
            return new RoundUpdate(encoding.ForRound(Convert.FromHexString(roundId)), he ? encoding.SingleVector() : null);
        }
        catch (Exception e) when (e is MalformedMessageException or InvalidRoundConfigurationException or ArgumentException)
        {
            throw new RoundAbortedException(roundId, AbortReason.InvalidServerMessage, $"invalid float encoding: {e.Message}");
        }
    }
}

/// <summary>
/// A float round's encoding on the device and how the scheme takes its vectors: as they are (masking sums several), or
/// joined into one (HE sums one vector, <see cref="SingleVectorLayout"/>).
/// </summary>
internal sealed class RoundUpdate(IRoundUpdateEncoding encoding, SingleVectorLayout? layout)
{
    public IRoundUpdateEncoding Encoding => encoding;

    /// <summary>The scheme's input vectors of an encoded update (the joined copy is the caller's to wipe, as the parts are).</summary>
    public ulong[][] SchemeInput(ulong[][] vectors) => layout is null ? vectors : [layout.Join(vectors)];

    /// <summary>The encoding's sums from the scheme's published sums.</summary>
    /// <exception cref="ArgumentException">The sums do not have the round's shape.</exception>
    public IReadOnlyList<ulong[]> EncodingSums(IReadOnlyList<ulong[]> sums) => layout is null ? sums
        : sums.Count == 1 && sums[0] is not null ? layout.Split(sums[0]) : throw new ArgumentException("expected the one sum of an HE round", nameof(sums));
}
