using System.Net;
using SecureFed.Client.Rounds;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Updates;
using SecureFed.Transport;

namespace SecureFed.Client;

// Float updates in, float average out (protocol-spec/secagg.md 10a, transport.md 2.3).
// RS0026: these overloads differ from the ulong[] ones by the update's type, so the optional weight and token cannot
// make a call ambiguous.
#pragma warning disable RS0026
public sealed partial class SecureFedClient
{
    /// <summary>
    /// Contributes a single-precision update to float round <paramref name="roundId"/> and returns the round's
    /// weighted average, decoded on this device. The update is checked before any request (a NaN or infinite
    /// coordinate, a weight outside (0, MaxWeight]) and against the round's length before anything is sent; it is
    /// clipped to the round's L2 norm (reported in <see cref="FloatContributionResult.Clipped"/>), weighted, quantized
    /// with unbiased stochastic rounding and, in a DP round, given this device's share of the noise. The caller's
    /// memory is never modified; every copy is wiped.
    /// </summary>
    /// <param name="roundId">The round (32 hex digits).</param>
    /// <param name="update">The update, as long as the round's encoding says.</param>
    /// <param name="weight">This device's weight, e.g. its example count (a DP round takes only 1).</param>
    /// <param name="cancellationToken">Cancels the contribution.</param>
    /// <exception cref="ArgumentException">Wrong length, or a NaN or infinite coordinate (the message names the first bad index).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The weight is not allowed.</exception>
    /// <exception cref="RequestRefusedException">The round carries no float encoding, or the server refused a request.</exception>
    /// <exception cref="DroppedFromRoundException">The client missed a stage and is out of this round.</exception>
    /// <exception cref="RoundAbortedException">The round was aborted, or the server broke the protocol.</exception>
    /// <exception cref="ServerUnreachableException">Retries on transient failures were exhausted.</exception>
    public Task<FloatContributionResult> ContributeAsync(string roundId, ReadOnlyMemory<float> update, double weight = 1, CancellationToken cancellationToken = default)
    {
        CheckFinite(update.Span, weight);
        return RunFloatAsync(roundId, (e, r) => e.Encode(update.Span, weight, r), cancellationToken);
    }

    /// <summary>Contributes a double-precision update. See <see cref="ContributeAsync(string, ReadOnlyMemory{float}, double, CancellationToken)"/>.</summary>
    /// <exception cref="ArgumentException">Wrong length, or a NaN or infinite coordinate (the message names the first bad index).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The weight is not allowed.</exception>
    /// <exception cref="RequestRefusedException">The round carries no float encoding, or the server refused a request.</exception>
    /// <exception cref="DroppedFromRoundException">The client missed a stage and is out of this round.</exception>
    /// <exception cref="RoundAbortedException">The round was aborted, or the server broke the protocol.</exception>
    /// <exception cref="ServerUnreachableException">Retries on transient failures were exhausted.</exception>
    public Task<FloatContributionResult> ContributeAsync(string roundId, ReadOnlyMemory<double> update, double weight = 1, CancellationToken cancellationToken = default)
    {
        CheckFinite(update.Span, weight);
        return RunFloatAsync(roundId, (e, r) => e.Encode(update.Span, weight, r), cancellationToken);
    }

#pragma warning restore RS0026

    /// <summary>
    /// Waits for the sums of a completed round this device is on the roster of (<c>GET /v1/rounds/{id}/result</c>).
    /// </summary>
    /// <exception cref="RequestRefusedException">The round was aborted (<c>round-not-completed</c>), or another refusal.</exception>
    /// <exception cref="ServerUnreachableException">Retries on transient failures were exhausted.</exception>
    public async Task<RoundResultInfo> GetRoundResultAsync(string roundId, CancellationToken cancellationToken = default)
    {
        CheckRoundId(roundId);
        string path = $"/v1/rounds/{roundId.ToLowerInvariant()}/result?wait={(int)_options.PollWait.TotalSeconds}";
        while (true)
        {
            var (status, content) = await _sender.SendAsync(HttpMethod.Get, path, null, _options.PollWait, cancellationToken).ConfigureAwait(false);
            switch (status)
            {
                case HttpStatusCode.OK:
                    return Decode<RoundResultInfo>(content);
                case HttpStatusCode.NoContent:
                    continue;
                default:
                    throw SignedRequestSender.Refusal(status, content);
            }
        }
    }

    private async Task<FloatContributionResult> RunFloatAsync(string roundId, Func<IRoundUpdateEncoding, Primitives.Randomness.IRandomSource, EncodedUpdate> encode,
        CancellationToken ct)
    {
        CheckRoundId(roundId);
        roundId = roundId.ToLowerInvariant();
        RoundInfo info = await GetRoundAsync(roundId, ct).ConfigureAwait(false);
        RoundUpdate round = RoundUpdateEncodings.Create(roundId, info);
        IRoundUpdateEncoding encoding = round.Encoding;
        EncodedUpdate encoded = encode(encoding, _random);
        ulong[][] input = encoded.Vectors;
        ContributionResult contribution;
        try
        {
            input = round.SchemeInput(encoded.Vectors);
            contribution = await RunAsync(roundId, info, input, ct).ConfigureAwait(false);
        }
        finally
        {
            foreach (ulong[] v in encoded.Vectors.Concat(input))
            {
                Array.Clear(v); // the party masked or encrypted a copy
            }
        }
        RoundResultInfo result = await GetRoundResultAsync(roundId, ct).ConfigureAwait(false);
        if (!result.Survivors.SequenceEqual(contribution.Survivors))
        {
            throw new RoundAbortedException(roundId, AbortReason.InvalidServerMessage, "the published survivors differ from the survivor set this client checked");
        }
        DecodedAverage average;
        try
        {
            average = encoding.Decode(round.EncodingSums(result.Sums), result.Survivors.Length);
        }
        catch (ArgumentException e)
        {
            throw new RoundAbortedException(roundId, AbortReason.InvalidServerMessage, $"the published sums do not decode: {e.Message}");
        }
        return new FloatContributionResult(contribution, average.Average, average.WeightSum, average.ErrorBound, average.NoiseStdDev,
            encoded.Clipped, encoded.OriginalNorm, encoded.Weight);
    }

    // Refused before any request: the first non-finite coordinate, or a weight that no round accepts.
    private static void CheckFinite<T>(ReadOnlySpan<T> update, double weight)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        for (int i = 0; i < update.Length; i++)
        {
            if (!T.IsFinite(update[i]))
            {
                throw new ArgumentException($"update[{i}] is {(T.IsNaN(update[i]) ? "NaN" : "infinite")}; every coordinate must be finite", nameof(update));
            }
        }
        if (!(weight > 0) || !double.IsFinite(weight))
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "the weight must be positive and finite");
        }
    }
}
