using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
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
    private readonly ulong[] _values;
    private readonly IRandomSource _random;

    internal HeClientAwaitKeyState(HeRoundParameters parameters, IdentityKeyPair identity, uint clientId, ulong[] values, IRandomSource random)
        : base(clientId)
    {
        _parameters = parameters;
        _identity = identity;
        _values = values;
        _random = random;
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
        byte[] upload;
        try
        {
            upload = new UploadEncryptor(p.Plan, key).Encrypt(_values, _random);
        }
        finally
        {
            ReleaseSecrets();
        }
        byte[] commitment = UploadCommitment.Compute(p.LatticeRound, (int)ClientId, upload, p.Plan.Parameters);
        var body = new ClientUpload
        {
            Upload = upload,
            Commitment = commitment,
            CommitmentSignature = _identity.Sign(HeDerivation.CommitmentSigningInput(p.ConfigurationHash.Span, ClientId, commitment)),
        };
        var envelope = HeEnvelopeSigning.Seal(p, _identity, ClientId, HeStage.Upload, MessageCodec.Encode(body));
        return new HePartyTransition(new HeClientUploadedState(ClientId), envelope);
    }

    // The update is the client's private input: wiped once encrypted or when the round ends without it.
    private protected override void ReleaseSecrets() => CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_values.AsSpan()));
}
