using SecureFed.HeProtocol;
using SecureFed.HeProtocol.Client;
using SecureFed.HeProtocol.Seal;
using SecureFed.Client.Seal;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Decryptor;
using SecureFed.HeProtocol.Messages;
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
    IRandomSource random, Action<int, string> raise, ISealEncryptor? seal = null, KeptUploadBuffer? kept = null) : IRoundParty
{
    // The kept buffer this round was lent (own values only: a SEAL device encrypts elsewhere); returned on Dispose.
    private HeUploadBuffer? _lent;

    // One state per role, replaced by each transition; null once the role is over (or never held).
    private HePartyState? _decryptor;
    private HePartyState? _client;

    private bool Uploads => values is not null || seal is not null;

    public ServerDelivery Delivery => ServerDelivery.LatestClose;

    public int StageCount => Enum.GetValues<HeStage>().Length;

    public uint ClientId => clientId;

    private bool HasRole => _decryptor is not null || _client is not null;

    private bool IsDecryptor => parameters.DecryptorIndex(clientId) != 0;

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
        // A SEAL device holds no values of its own: its state carries a zero vector that UploadSeal wipes unused.
        if (values is not null && seal is null && kept?.Lend(parameters) is { } buffer)
        {
            _lent = buffer;
            _client = HeClient.Start(parameters, identity, clientId, values, random, buffer);
        }
        else
        {
            _client = Uploads ? HeClient.Start(parameters, identity, clientId, values ?? new ulong[parameters.Configuration.VectorLength], random) : null;
        }
        List<PartyEnvelope> send = [];
        if (IsDecryptor && info.Stage == (int)HeStage.KeyAdvertisement && info.Closes == 0)
        {
            var step = HeDecryptor.Start(parameters, identity, clientId, random).Advertise();
            _decryptor = step.Next;
            send.Add(Decryptor(HeStage.KeyAdvertisement, step.Outgoing!));
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
        foreach (byte[] bytes in messages)
        {
            if (Handle(Decode(bytes), stage, send) is { } result)
            {
                return new PartyStep(send, result);
            }
        }
        if (_client is HeClientAwaitKeyState && close >= (int)HeStage.Upload)
        {
            // The upload stage closed before this device saw the collective key: its update is not in the sum.
            _client.Dispose();
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
        return _client is not null;
    }

    public void Dispose()
    {
        DisposeDecryptor();
        _client?.Dispose(); // a client state releases (and wipes) its buffer when disposed
        if (_lent is not null)
        {
            kept!.Return(_lent);
            _lent = null;
        }
        if (values is not null)
        {
            Array.Clear(values);
        }
    }

    // Applies one server message to the role it is for; returns the result when the round completed.
    private ContributionResult? Handle(HeServerMessage message, int stage, List<PartyEnvelope> send)
    {
        switch (message)
        {
            case HeAbortNotice notice:
                throw new RoundAbortedException(roundId, AbortReason.ServerAborted, $"{notice.Reason}: {notice.Detail}") { HeReason = notice.Reason };
            case AdvertisementList when _decryptor is DecryptorH1ShareKeysState:
                send.Add(Decryptor(HeStage.KeyShares, Step(ref _decryptor, message).Outgoing!));
                return null;
            case KeyShareDelivery when _decryptor is DecryptorAwaitKeySharesState:
                Step(ref _decryptor, message);
                raise(stage, "key-share-ready");
                return null;
            case DecryptionRequestMessage when _decryptor is DecryptorReadyState:
                raise(stage, "decryption-request");
                send.Add(Decryptor(HeStage.DecryptionShare, Step(ref _decryptor, message).Outgoing!));
                return null;
            case CollectiveKeyAnnouncement announcement when _client is HeClientAwaitKeyState awaiting:
            {
                var step = seal is null ? Step(ref _client, message) : UploadSeal(awaiting, announcement, seal);
                _client = step.Next;
                send.Add(new PartyEnvelope((int)HeStage.Upload, MessageCodec.Encode(step.Outgoing!)));
                return null;
            }
            case HeRoundResult result:
            {
                if (_decryptor is DecryptorReadyState)
                {
                    Step(ref _decryptor, message); // wipes the key share
                }
                bool included = _client is HeClientUploadedState && Step(ref _client, message).Next is HeClientCompletedState { Included: true };
                if (Uploads && !included)
                {
                    throw new DroppedFromRoundException(roundId, (int)HeStage.Upload, "the round completed without this device's upload");
                }
                return new ContributionResult(roundId, clientId, result.Contributors ?? []) { Sum = result.Sum, Included = included, DecryptionCheck = result.Check };
            }
            default:
                return null; // a message for a role this device no longer has
        }
    }

    private HePartyTransition UploadSeal(HeClientAwaitKeyState client, CollectiveKeyAnnouncement announcement, ISealEncryptor encryptor)
    {
        var key = new SealRoundKey(HeSealRound.Parameters(parameters).Save(), client.ExportSealPublicKey(announcement),
            parameters.Plan.Parameters.Degree, parameters.BlockCount, parameters.Configuration.VectorLength, parameters.Configuration.Bits);
        raise((int)HeStage.Upload, "seal-encrypt");
        var blocks = encryptor.Encrypt(key) ?? throw new InvalidOperationException("the SEAL encryptor returned no ciphertexts");
        return client.UploadSeal(announcement, [.. blocks.Select(b => (ReadOnlyMemory<byte>)b)]);
    }

    // Moves a role's state on; a message its state refuses aborts the device's round.
    private HePartyTransition Step(ref HePartyState? state, HeServerMessage message)
    {
        var step = state!.Handle(message);
        state = step.Next;
        return step.Next is HePartyAbortedState aborted
            ? throw new RoundAbortedException(roundId, aborted.Reason, aborted.Detail)
            : step;
    }

    // The decryptor role is secondary when the device also uploads: losing it does not end the device's round.
    private PartyEnvelope Decryptor(HeStage stage, HeEnvelope envelope) => new((int)stage, MessageCodec.Encode(envelope), FromSecondaryRole: true);

    private void DisposeDecryptor()
    {
        _decryptor?.Dispose();
        _decryptor = null;
    }

    private HeServerMessage Decode(byte[] bytes) => ContributionDriver.Decode<HeServerMessage>(roundId, bytes, "HE server message");
}
