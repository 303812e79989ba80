using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureFed.Client.Diagnostics;
using SecureFed.Client.Rounds;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Messages;
using SecureFed.Transport;

namespace SecureFed.Client;

/// <summary>
/// A device's side of SecureFed secure aggregation over HTTP: <see cref="ContributeAsync(string, ulong[][], CancellationToken)"/>
/// fetches the round's configuration, checks this device is on its roster, runs every protocol stage (retrying
/// transient network errors) and returns once its unmasking shares are delivered (HE rounds: once the decrypted sum
/// is announced; <see cref="RunDecryptorAsync"/> runs only the decryptor role). Thread-safe: several rounds may
/// run at once on one client. Cancellation is honoured at every point (request, long poll, retry backoff) within a
/// second. Dispose it (or <c>await using</c> it) to wipe the identity key.
/// </summary>
public sealed partial class SecureFedClient : IDisposable, IAsyncDisposable
{
    private readonly IdentityKeyPair _identity;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly SignedRequestSender _sender;
    private readonly SecureFedClientOptions _options;
    private readonly IRandomSource _random;
    private readonly ILogger _log;

    // The HE upload memory kept across this client's rounds (SecureFedClientOptions.KeepHeUploadBuffer), else null.
    private readonly KeptUploadBuffer? _uploadBuffer;

    /// <summary>Creates a client. The identity key is loaded once from <paramref name="keys"/> and disposed with the client.</summary>
    /// <param name="options">Server URL, timeouts and retries; validated here.</param>
    /// <param name="keys">Where the identity key lives.</param>
    /// <param name="httpClient">An HttpClient to use (not modified or disposed by the client; its Timeout should exceed
    /// RequestTimeout + PollWait); null to create one.</param>
    /// <param name="random">Randomness for the protocol's keys and masks; null for the OS CSPRNG (production).</param>
    /// <param name="logger">Where retries, refusals and steps are logged (event ids 2000-2003); null for none.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The key store holds no valid identity key.</exception>
    public SecureFedClient(SecureFedClientOptions options, IIdentityKeyStore keys, HttpClient? httpClient = null, IRandomSource? random = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(keys);
        options.Validate();
        _options = options;
        _random = random ?? SystemRandomSource.Instance;
        _ownsHttp = httpClient is null;
        // Each attempt has its own timeout (RequestTimeout); a shared HttpClient keeps its settings, so give it a
        // Timeout at least as long as RequestTimeout + PollWait.
        _http = httpClient ?? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        _log = logger ?? NullLogger.Instance;
        _identity = keys.LoadIdentity();
        _sender = new SignedRequestSender(_http, options, _identity, _log);
        _uploadBuffer = options.KeepHeUploadBuffer ? new KeptUploadBuffer() : null;
    }

    /// <summary>The HE upload buffer kept across rounds, for tests; null when the options turn it off.</summary>
    internal KeptUploadBuffer? UploadBuffer => _uploadBuffer;

    /// <summary>This device's identity public key (what the operator enrols).</summary>
    public IdentityPublicKey PublicKey => _identity.PublicKey;

    /// <summary>Raised at each step of a contribution (on the thread that ran the step).</summary>
    public event EventHandler<ContributionProgressEventArgs>? Progress;

    /// <summary>Redeems a one-time enrolment token from the operator: this key joins the token's federation.</summary>
    /// <exception cref="RequestRefusedException">The token is unknown, used or expired (<c>invalid-token</c>), or the key was revoked.</exception>
    /// <exception cref="ServerUnreachableException">Retries on transient failures were exhausted.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public async Task<EnrolmentResult> EnrolAsync(string token, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        byte[] body = MessageCodec.Encode(new EnrolmentRequest { Token = token.Trim() });
        var (status, content) = await _sender.SendAsync(HttpMethod.Post, "/v1/enrol", body, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        if (status != HttpStatusCode.OK)
        {
            throw SignedRequestSender.Refusal(status, content);
        }
        EnrolmentResponse response = Decode<EnrolmentResponse>(content);
        return new EnrolmentResult(response.Federation, response.ClientId);
    }

    /// <summary>Fetches a round's configuration and status (this key must be on its roster).</summary>
    /// <exception cref="ArgumentException"><paramref name="roundId"/> is not 32 hex digits.</exception>
    /// <exception cref="RequestRefusedException">Unknown round (404 <c>unknown-round</c>), not on its roster, or revoked.</exception>
    /// <exception cref="ServerUnreachableException">Retries on transient failures were exhausted.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public async Task<RoundInfo> GetRoundAsync(string roundId, CancellationToken cancellationToken = default)
    {
        CheckRoundId(roundId);
        var (status, content) = await _sender.SendAsync(HttpMethod.Get, $"/v1/rounds/{roundId}", null, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        return status == HttpStatusCode.OK ? Decode<RoundInfo>(content) : throw SignedRequestSender.Refusal(status, content);
    }

    /// <summary>Contributes a single-vector update. See <see cref="ContributeAsync(string, ulong[][], CancellationToken)"/>.</summary>
    public Task<ContributionResult> ContributeAsync(string roundId, ulong[] update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return ContributeAsync(roundId, [update], cancellationToken);
    }

    /// <summary>
    /// Runs every stage of round <paramref name="roundId"/> with <paramref name="update"/> (one array per configured
    /// vector, elements below 2^bits; quantize real values with FixedPointQuantizer). The caller's arrays are copied,
    /// never modified; the copy is wiped once masked. An HE round (the round info's Scheme "he") takes exactly one
    /// vector of quantized values inside the round's InputRange; when this device is one of the round's decryptors it
    /// also advertises, deals its key shares and answers decryption requests until the round ends, and the result
    /// carries the decrypted <see cref="ContributionResult.Sum"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The update does not match the round's vectors.</exception>
    /// <exception cref="RequestRefusedException">The server refused a request (not on the roster, revoked, unknown round, ...).</exception>
    /// <exception cref="DroppedFromRoundException">The client missed a stage and is out of this round.</exception>
    /// <exception cref="RoundAbortedException">The round was aborted, or the server broke the protocol.</exception>
    /// <exception cref="ServerUnreachableException">Retries on transient failures were exhausted.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public Task<ContributionResult> ContributeAsync(string roundId, ulong[][] update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return RunAsync(roundId, update, cancellationToken);
    }

    /// <summary>
    /// Takes part in HE round <paramref name="roundId"/> as a decryptor only (no upload): advertises, deals key shares,
    /// answers decryption requests (including a retry) and returns the round's result. Key material is wiped when the
    /// round ends, fails or is cancelled. (<see cref="ContributeAsync(string, ulong[], CancellationToken)"/> runs both
    /// roles when this device is a decryptor that also uploads.)
    /// </summary>
    /// <exception cref="RequestRefusedException">This device is not a decryptor of the round, or the server refused a request.</exception>
    /// <exception cref="DroppedFromRoundException">The round went on without this decryptor (it joined or answered too late).</exception>
    /// <exception cref="RoundAbortedException">The round was aborted, or the server broke the protocol.</exception>
    /// <exception cref="ServerUnreachableException">Retries on transient failures were exhausted.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public Task<ContributionResult> RunDecryptorAsync(string roundId, CancellationToken cancellationToken = default) =>
        RunAsync(roundId, null, cancellationToken);

    /// <summary>
    /// Takes part in HE round <paramref name="roundId"/> with an update that Microsoft SEAL encrypts
    /// (protocol-spec/he.md section 11.3): once the collective key is announced and verified, <paramref name="encryptor"/>
    /// gets it as a SEAL PublicKey and returns one SEAL ciphertext per block, which this client commits to, signs and
    /// uploads like its own. A device that is also a decryptor runs that role too.
    /// </summary>
    /// <exception cref="Lattice.Seal.SealExportException">The round's layout is one SEAL cannot produce (it needs lanes 1, bodies 1, bits below 60); nothing was sent.</exception>
    /// <exception cref="Lattice.Seal.SealFormatException">The encryptor returned a ciphertext SEAL did not make for this round, or the wrong number.</exception>
    /// <exception cref="RequestRefusedException">The server refused a request, or the round is a masking round.</exception>
    /// <exception cref="DroppedFromRoundException">The client missed a stage and is out of this round.</exception>
    /// <exception cref="RoundAbortedException">The round was aborted, or the server broke the protocol.</exception>
    /// <exception cref="ServerUnreachableException">Retries on transient failures were exhausted.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public async Task<ContributionResult> ContributeSealAsync(string roundId, Seal.ISealEncryptor encryptor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encryptor);
        CheckRoundId(roundId);
        roundId = roundId.ToLowerInvariant();
        RoundInfo info = await GetRoundAsync(roundId, cancellationToken).ConfigureAwait(false);
        IRoundParty party = RoundParties.Create(roundId, info, _identity, null, _random, (id, stage, step) => Raise(roundId, id, stage, step), encryptor);
        return await Drive(roundId, party, info, cancellationToken).ConfigureAwait(false);
    }

    // One driver for every scheme: the round info picks the party, the driver sends, polls and maps refusals.
    private async Task<ContributionResult> RunAsync(string roundId, ulong[][]? update, CancellationToken ct)
    {
        CheckRoundId(roundId);
        roundId = roundId.ToLowerInvariant();
        using Activity? span = ClientTracing.Source.StartActivity("securefed.contribute", ActivityKind.Internal);
        span?.SetTag("securefed.round.id", roundId);
        RoundInfo info = await GetRoundAsync(roundId, ct).ConfigureAwait(false);
        Task<ContributionResult> run = RunAsync(roundId, info, update, ct);
        update = null; // the party holds its own copy: the caller's arrays are not kept through the round
        return await run.ConfigureAwait(false);
    }

    // The stages of a round whose info was already fetched (a float contribution reads it to encode first). Not async:
    // nothing here outlives the start, so the info (configuration and roster) is not held through the round.
    private Task<ContributionResult> RunAsync(string roundId, RoundInfo info, ulong[][]? update, CancellationToken ct)
    {
        IRoundParty party = RoundParties.Create(roundId, info, _identity, update, _random, (id, stage, step) => Raise(roundId, id, stage, step),
            kept: _uploadBuffer);
        return Drive(roundId, party, info, ct);
    }

    // The driver owns the party from here (it disposes it when the round ends for this device).
    private Task<ContributionResult> Drive(string roundId, IRoundParty party, RoundInfo info, CancellationToken ct)
    {
        var driver = new ContributionDriver(_sender, _options, roundId, (stage, step) => Raise(roundId, party.ClientId, stage, step));
        return driver.RunAsync(party, info, ct);
    }

    private static T Decode<T>(byte[] content)
        where T : class =>
        ContributionDriver.Decode<T>(content, e => new RequestRefusedException(200, "malformed-response", $"the server's {typeof(T).Name} is malformed: {e.Message}"));

    private static void CheckRoundId(string roundId)
    {
        if (!RoundIds.TryParse(roundId, out _))
        {
            throw new ArgumentException("a round id is 32 hex digits", nameof(roundId));
        }
    }

    private void Raise(string roundId, uint clientId, int stage, string step)
    {
        _log.ContributionStep(roundId, stage, step);
        Progress?.Invoke(this, new ContributionProgressEventArgs(roundId, clientId, stage, step));
    }

    /// <summary>Releases the identity key and the kept HE upload buffer (and the HttpClient when the client created it).</summary>
    public void Dispose()
    {
        _uploadBuffer?.Dispose();
        _sender.Dispose();
        _identity.Dispose();
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>Releases the identity key (and the HttpClient when the client created it); nothing to await.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
