using SecureFed.HeProtocol;
using SecureFed.HeProtocol.Client;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Decryptor;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Seal;
using SecureFed.Client.Seal;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;
using SecureFed.Transport;

namespace SecureFed.Client.Rounds;

/// <summary>
/// One device's side of an HE round (protocol-spec/transport.md, "HE rounds"): as a decryptor it advertises, deals its
/// key shares and answers decryption requests (retries included); as a client it uploads its encrypted update once the
/// collective key is announced (its own values, or what an <see cref="ISealEncryptor"/> made under the key exported in
/// SEAL's format); both roles end with the server's result. Every decryptor state that holds secrets is
/// disposed when the round ends, fails or is cancelled (<see cref="Dispose"/>).
/// </summary>
internal sealed class HeRoundParty(string roundId, HeRoundParameters parameters, uint clientId, IdentityKeyPair identity, ulong[]? values,
    IRandomSource random, Action<int, string> raise, ISealEncryptor? seal = null) : IRoundParty
{
    private DecryptorH1ShareKeysState? _dealing;
    private DecryptorAwaitKeySharesState? _awaitingShares;
    private DecryptorReadyState? _ready;
    private HeClientAwaitKeyState? _client;
    private HeClientUploadedState? _uploaded;

    public ServerDelivery Delivery => ServerDelivery.LatestClose;

    public int StageCount => Enum.GetValues<HeStage>().Length;

    public uint ClientId => clientId;

    private bool HasRole => _dealing is not null || _awaitingShares is not null || _ready is not null || _client is not null || _uploaded is not null;

    private bool IsDecryptor => parameters.DecryptorIndex(clientId) != 0;

    private bool Uploads => values is not null || seal is not null;

    public IReadOnlyList<PartyEnvelope> Begin(RoundInfo info)
    {
        RoundPhase phase = WireNames.ParsePhase(info.Status);
        if (phase != RoundPhase.Running)
        {
            throw phase == RoundPhase.Aborted
                ? new RoundAbortedException(roundId, AbortReason.ServerAborted, "the round was aborted before this client joined")
                : new DroppedFromRoundException(roundId, 0, $"the round is {info.Status}");
        }
        if (seal is not null)
        {
            HeSealRound.Parameters(parameters); // a layout SEAL cannot produce is refused before anything is sent
        }
        if (!Uploads && !IsDecryptor)
        {
            throw new RequestRefusedException(403, "not-a-decryptor", $"client {clientId} is not a decryptor of round {roundId}");
        }
        if (values is not null && values.Length != parameters.Configuration.VectorLength)
        {
            throw new ArgumentException($"the round sums vectors of {parameters.Configuration.VectorLength} values, got {values.Length}", nameof(values));
        }
        _client = Uploads ? HeClient.Start(parameters, identity, clientId) : null;
        List<PartyEnvelope> send = [];
        if (IsDecryptor && info.Stage == (int)HeStage.KeyAdvertisement && info.Closes == 0)
        {
            var step = HeDecryptor.Start(parameters, identity, clientId, random).Advertise();
            _dealing = step.Next;
            send.Add(Decryptor(HeStage.KeyAdvertisement, step.Envelope));
        }
        if (!HasRole)
        {
            throw new DroppedFromRoundException(roundId, 0, "the round is past key advertisement and this device does not upload");
        }
        return send;
    }

    public PartyStep Receive(int close, IReadOnlyList<byte[]> messages)
    {
        int stage = Math.Min(close, (int)HeStage.DecryptionShare);
        List<PartyEnvelope> send = [];
        try
        {
            foreach (byte[] bytes in messages)
            {
                if (Handle(Decode(bytes), stage, send) is { } result)
                {
                    return new PartyStep(send, result);
                }
            }
        }
        catch (HeProtocolException e)
        {
            throw new RoundAbortedException(roundId, AbortReason.InvalidServerMessage, e.Message);
        }
        if (_client is not null && close >= (int)HeStage.Upload)
        {
            // The upload stage closed before this device saw the collective key: its update is not in the sum.
            _client = null;
        }
        if (!HasRole)
        {
            throw new DroppedFromRoundException(roundId, stage, $"this device has no part left in the round after close {close}");
        }
        return new PartyStep(send);
    }

    // A decryptor's envelope refused as too late ends only the decryptor role; the device may still upload.
    public bool GiveUp(PartyEnvelope envelope)
    {
        if (!envelope.FromSecondaryRole)
        {
            return false;
        }
        DisposeDecryptor();
        return _client is not null || _uploaded is not null;
    }

    public void Dispose()
    {
        DisposeDecryptor();
        if (values is not null)
        {
            Array.Clear(values);
        }
    }

    // Applies one server message; returns the result when the round completed.
    private ContributionResult? Handle(HeServerMessage message, int stage, List<PartyEnvelope> send)
    {
        switch (message)
        {
            case HeAbortNotice notice:
                throw new RoundAbortedException(roundId, AbortReason.ServerAborted, $"{notice.Reason}: {notice.Detail}") { HeReason = notice.Reason };
            case AdvertisementList list when _dealing is not null:
            {
                var step = _dealing.ShareKeys(list);
                _dealing = null;
                _awaitingShares = step.Next;
                send.Add(Decryptor(HeStage.KeyShares, step.Envelope));
                return null;
            }
            case KeyShareDelivery delivery when _awaitingShares is not null:
                _ready = _awaitingShares.ReceiveKeyShares(delivery);
                _awaitingShares = null;
                raise(stage, "key-share-ready");
                return null;
            case CollectiveKeyAnnouncement announcement when _client is not null:
            {
                var step = seal is null ? _client.Upload(announcement, values!, random) : UploadSeal(_client, announcement, seal);
                _client = null;
                _uploaded = step.Next;
                send.Add(new PartyEnvelope((int)HeStage.Upload, MessageCodec.Encode(step.Envelope)));
                return null;
            }
            case DecryptionRequestMessage request when _ready is not null:
            {
                raise(stage, "decryption-request");
                var step = _ready.Decrypt(request);
                _ready = step.Next;
                send.Add(Decryptor(HeStage.DecryptionShare, step.Envelope));
                return null;
            }
            case HeRoundResult result:
            {
                _ready?.Complete();
                _ready = null;
                bool included = _uploaded?.Complete(result).Included ?? false;
                if (Uploads && !included)
                {
                    throw new DroppedFromRoundException(roundId, (int)HeStage.Upload, "the round completed without this device's upload");
                }
                return new ContributionResult(roundId, clientId, result.Contributors ?? []) { Sum = result.Sum, Included = included };
            }
            default:
                return null; // a message for a role this device no longer has
        }
    }

    private HeStep<HeClientUploadedState> UploadSeal(HeClientAwaitKeyState client, CollectiveKeyAnnouncement announcement, ISealEncryptor encryptor)
    {
        var key = new SealRoundKey(HeSealRound.Parameters(parameters).Save(), client.ExportSealPublicKey(announcement),
            parameters.Plan.Parameters.Degree, parameters.BlockCount, parameters.Configuration.VectorLength, parameters.Configuration.Bits);
        raise((int)HeStage.Upload, "seal-encrypt");
        var blocks = encryptor.Encrypt(key) ?? throw new InvalidOperationException("the SEAL encryptor returned no ciphertexts");
        return client.UploadSeal(announcement, [.. blocks.Select(b => (ReadOnlyMemory<byte>)b)]);
    }

    // The decryptor role is secondary when the device also uploads: losing it does not end the device's round.
    private PartyEnvelope Decryptor(HeStage stage, HeEnvelope envelope) => new((int)stage, MessageCodec.Encode(envelope), FromSecondaryRole: true);

    private void DisposeDecryptor()
    {
        _dealing?.Dispose();
        _awaitingShares?.Dispose();
        _ready?.Dispose();
        (_dealing, _awaitingShares, _ready) = (null, null, null);
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
