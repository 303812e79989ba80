using System.Net;
using SecureFed.HeProtocol;
using SecureFed.HeProtocol.Client;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Decryptor;
using SecureFed.HeProtocol.Messages;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Messages;
using SecureFed.Transport;

namespace SecureFed.Client;

/// <summary>
/// One device's side of an HE round over HTTP (protocol-spec/transport.md, "HE rounds"): as a decryptor it advertises,
/// deals its key shares and answers decryption requests (retries included); as a client it uploads its encrypted
/// update once the collective key is announced; both roles end with the server's result. Every decryptor state that
/// holds secrets is disposed when the round ends, fails or is cancelled.
/// </summary>
internal sealed class HeRoundParty(SignedRequestSender sender, SecureFedClientOptions options, IdentityKeyPair identity, IRandomSource random,
    string roundId, uint clientId, HeRoundParameters parameters, Action<int, string> raise)
{
    private DecryptorH1ShareKeysState? _dealing;
    private DecryptorAwaitKeySharesState? _awaitingShares;
    private DecryptorReadyState? _ready;
    private HeClientAwaitKeyState? _client;
    private HeClientUploadedState? _uploaded;

    /// <summary>Runs the round; <paramref name="values"/> null runs the decryptor role only.</summary>
    public async Task<ContributionResult> RunAsync(RoundInfo info, ulong[]? values, CancellationToken ct)
    {
        bool decryptor = parameters.DecryptorIndex(clientId) != 0;
        if (values is null && !decryptor)
        {
            throw new RequestRefusedException(403, "not-a-decryptor", $"client {clientId} is not a decryptor of round {roundId}");
        }
        if (values is not null && values.Length != parameters.Configuration.VectorLength)
        {
            throw new ArgumentException($"the round sums vectors of {parameters.Configuration.VectorLength} values, got {values.Length}", nameof(values));
        }
        try
        {
            _client = values is null ? null : HeClient.Start(parameters, identity, clientId);
            if (decryptor && info.Stage == (int)HeStage.KeyAdvertisement && info.Closes == 0)
            {
                var step = HeDecryptor.Start(parameters, identity, clientId, random).Advertise();
                _dealing = step.Next;
                await SendDecryptorAsync(HeStage.KeyAdvertisement, step.Envelope, ct).ConfigureAwait(false);
            }
            if (!HasRole)
            {
                throw new DroppedFromRoundException(roundId, 0, "the round is past key advertisement and this device does not upload");
            }
            for (int next = 0; ; )
            {
                HeDelivery delivery = await PollAsync(next, ct).ConfigureAwait(false);
                int stage = Math.Min(delivery.Close, (int)HeStage.DecryptionShare);
                raise(stage, "received");
                foreach (byte[] bytes in delivery.Messages ?? [])
                {
                    if (await HandleAsync(Decode(bytes), stage, values, ct).ConfigureAwait(false) is { } result)
                    {
                        return result;
                    }
                }
                if (_client is not null && delivery.Close >= (int)HeStage.Upload)
                {
                    // The upload stage closed before this device saw the collective key: its update is not in the sum.
                    _client = null;
                }
                if (!HasRole)
                {
                    throw new DroppedFromRoundException(roundId, stage, $"this device has no part left in the round after close {delivery.Close}");
                }
                next = delivery.Close + 1;
            }
        }
        catch (HeProtocolException e)
        {
            throw new RoundAbortedException(roundId, AbortReason.InvalidServerMessage, e.Message);
        }
        finally
        {
            _dealing?.Dispose();
            _awaitingShares?.Dispose();
            _ready?.Dispose();
        }
    }

    private bool HasRole => _dealing is not null || _awaitingShares is not null || _ready is not null || _client is not null || _uploaded is not null;

    // Applies one server message; returns the result when the round completed.
    private async Task<ContributionResult?> HandleAsync(HeServerMessage message, int stage, ulong[]? values, CancellationToken ct)
    {
        switch (message)
        {
            case HeAbortNotice notice:
                throw new RoundAbortedException(roundId, AbortReason.ServerAborted, $"{notice.Reason}: {notice.Detail}")
                {
                    HeReason = notice.Reason,
                };
            case AdvertisementList list when _dealing is not null:
            {
                var step = _dealing.ShareKeys(list);
                _dealing = null;
                _awaitingShares = step.Next;
                await SendDecryptorAsync(HeStage.KeyShares, step.Envelope, ct).ConfigureAwait(false);
                return null;
            }
            case KeyShareDelivery delivery when _awaitingShares is not null:
                _ready = _awaitingShares.ReceiveKeyShares(delivery);
                _awaitingShares = null;
                raise(stage, "key-share-ready");
                return null;
            case CollectiveKeyAnnouncement announcement when _client is not null:
            {
                var step = _client.Upload(announcement, values!, random);
                _client = null;
                _uploaded = step.Next;
                await SendAsync(HeStage.Upload, step.Envelope, ct).ConfigureAwait(false);
                return null;
            }
            case DecryptionRequestMessage request when _ready is not null:
            {
                raise(stage, "decryption-request");
                ct.ThrowIfCancellationRequested();
                var step = _ready.Decrypt(request);
                _ready = step.Next;
                await SendDecryptorAsync(HeStage.DecryptionShare, step.Envelope, ct).ConfigureAwait(false);
                return null;
            }
            case HeRoundResult result:
            {
                _ready?.Complete();
                _ready = null;
                bool included = _uploaded?.Complete(result).Included ?? false;
                if (values is not null && !included)
                {
                    throw new DroppedFromRoundException(roundId, (int)HeStage.Upload, "the round completed without this device's upload");
                }
                raise(stage, "completed");
                return new ContributionResult(roundId, clientId, result.Contributors ?? []) { Sum = result.Sum, Included = included };
            }
            default:
                return null; // a message for a role this device no longer has
        }
    }

    // A decryptor's envelope refused as too late only ends the decryptor role; the device may still upload.
    private async Task SendDecryptorAsync(HeStage stage, HeEnvelope envelope, CancellationToken ct)
    {
        try
        {
            await SendAsync(stage, envelope, ct).ConfigureAwait(false);
        }
        catch (DroppedFromRoundException)
        {
            _dealing?.Dispose();
            _awaitingShares?.Dispose();
            _ready?.Dispose();
            (_dealing, _awaitingShares, _ready) = (null, null, null);
            if (_client is null && _uploaded is null)
            {
                throw;
            }
        }
    }

    private async Task SendAsync(HeStage stage, HeEnvelope envelope, CancellationToken ct)
    {
        var (status, content) = await sender.SendAsync(HttpMethod.Post, $"/v1/rounds/{roundId}/messages", MessageCodec.Encode(envelope), TimeSpan.Zero, ct)
            .ConfigureAwait(false);
        if (status == HttpStatusCode.OK)
        {
            raise((int)stage, "sent");
            return;
        }
        RequestRefusedException refusal = SignedRequestSender.Refusal(status, content);
        if (refusal.Code is "wrong-stage" or "not-expected")
        {
            throw new DroppedFromRoundException(roundId, (int)stage, refusal.Message);
        }
        if (refusal.Code == "round-closed")
        {
            // The round ended: the next poll returns its abort notice or result.
            HeDelivery last = await PollAsync(0, ct).ConfigureAwait(false);
            foreach (byte[] bytes in last.Messages ?? [])
            {
                if (Decode(bytes) is HeAbortNotice n)
                {
                    throw new RoundAbortedException(roundId, AbortReason.ServerAborted, $"{n.Reason}: {n.Detail}") { HeReason = n.Reason };
                }
            }
            throw new DroppedFromRoundException(roundId, (int)stage, refusal.Message);
        }
        throw refusal;
    }

    // Long-polls until the first close at or after `close` is published.
    private async Task<HeDelivery> PollAsync(int close, CancellationToken ct)
    {
        string path = $"/v1/rounds/{roundId}/he/closes/{close}?wait={(int)options.PollWait.TotalSeconds}";
        while (true)
        {
            var (status, content) = await sender.SendAsync(HttpMethod.Get, path, null, options.PollWait, ct).ConfigureAwait(false);
            switch (status)
            {
                case HttpStatusCode.OK:
                    try
                    {
                        return MessageCodec.Decode<HeDelivery>(content, content.Length);
                    }
                    catch (MalformedMessageException e)
                    {
                        throw new RoundAbortedException(roundId, AbortReason.InvalidServerMessage, $"malformed HE delivery: {e.Message}");
                    }
                case HttpStatusCode.NoContent:
                    continue;
                default:
                    throw SignedRequestSender.Refusal(status, content);
            }
        }
    }

    private HeServerMessage Decode(byte[] bytes)
    {
        try
        {
            return MessageCodec.Decode<HeServerMessage>(bytes, bytes.Length);
        }
        catch (MalformedMessageException e)
        {
            throw new RoundAbortedException(roundId, AbortReason.InvalidServerMessage, $"malformed HE server message: {e.Message}");
        }
    }
}
