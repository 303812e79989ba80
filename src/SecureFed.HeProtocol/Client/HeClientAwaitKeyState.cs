using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Wire;
using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Multiparty;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Messages;

namespace SecureFed.HeProtocol.Client;

/// <summary>
/// Client, before H2: takes the <see cref="CollectiveKeyAnnouncement"/>, verifies the key (<see cref="HeClient.VerifyKey"/>),
/// then encrypts, commits and signs its upload. Holds the update until then: dispose it if the round ends here.
/// </summary>
public sealed partial class HeClientAwaitKeyState : HePartyState
{
    private readonly HeRoundParameters _parameters;
    private readonly IdentityKeyPair _identity;
    private readonly IRandomSource _random;

    // The update: this state's own copy, or the buffer's (then null once the buffer is handed on or returned, so a
    // late Dispose cannot wipe a later round's copy).
    private ulong[]? _values;
    private HeUploadBuffer? _buffer;

    internal HeClientAwaitKeyState(HeRoundParameters parameters, IdentityKeyPair identity, uint clientId, ulong[] values, IRandomSource random, HeUploadBuffer? buffer)
        : base(clientId)
    {
        _parameters = parameters;
        _identity = identity;
        _values = values;
        _random = random;
        _buffer = buffer;
    }

    /// <inheritdoc />
    public override string Name => "H2 await key";

    private protected override HePartyTransition? HandleCore(HeServerMessage message)
    {
        if (message is not CollectiveKeyAnnouncement announcement)
        {
            return null;
        }
        var p = _parameters;
        var key = HeClient.VerifyKey(p, announcement);
        var values = _values ?? throw new InvalidOperationException("the update is gone");
        if (_buffer is { } buffer)
        {
            return UploadInPlace(key, values, buffer);
        }
        byte[] upload;
        try
        {
            upload = new UploadEncryptor(p.Plan, key).Encrypt(values, _random);
        }
        finally
        {
            ReleaseSecrets();
        }
        return Send(upload);
    }

    // The same body bytes as MessageCodec.Encode(ClientUpload), written around the upload encrypted in place.
    private HePartyTransition UploadInPlace(PublicKey key, ulong[] values, HeUploadBuffer buffer)
    {
        var p = _parameters;
        byte[] body = buffer.Body;
        var upload = body.AsSpan(ClientUploadLayout.UploadOffset(p.UploadSize), checked((int)p.UploadSize));
        try
        {
            new UploadEncryptor(p.Plan, key).Encrypt(values, _random, upload);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(values.AsSpan()));
        }
        byte[] commitment = UploadCommitment.Compute(p.LatticeRound, (int)ClientId, upload, p.Plan.Parameters);
        ClientUploadLayout.Complete(body, p.UploadSize, commitment, SignCommitment(commitment));
        var envelope = HeEnvelopeSigning.Seal(p, _identity, ClientId, HeStage.Upload, body);
        // The round's next state holds the buffer now: the envelope's body is its memory.
        _values = null;
        _buffer = null;
        return new HePartyTransition(new HeClientUploadedState(ClientId, buffer), envelope);
    }

    // The upload, its commitment and the commitment's signature in one ClientUpload envelope: the step to H3.
    private HePartyTransition Send(byte[] upload)
    {
        var p = _parameters;
        byte[] commitment = UploadCommitment.Compute(p.LatticeRound, (int)ClientId, upload, p.Plan.Parameters);
        var body = new ClientUpload
        {
            Upload = upload,
            Commitment = commitment,
            CommitmentSignature = SignCommitment(commitment),
        };
        var envelope = HeEnvelopeSigning.Seal(p, _identity, ClientId, HeStage.Upload, MessageCodec.Encode(body));
        return new HePartyTransition(new HeClientUploadedState(ClientId, null), envelope);
    }

    private byte[] SignCommitment(byte[] commitment) =>
        _identity.Sign(HeDerivation.CommitmentSigningInput(_parameters.ConfigurationHash.Span, ClientId, commitment));

    // The update is the client's private input: wiped once encrypted or when the round ends without it; a buffer
    // goes back to the device with it.
    private protected override void ReleaseSecrets()
    {
        if (_values is { } values)
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(values.AsSpan()));
        }
        if (_buffer is { } buffer)
        {
            _values = null;
            _buffer = null;
            buffer.Release();
        }
    }
}
