using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Wire;
using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Multiparty;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Quantization;

namespace SecureFed.HeProtocol.Client;

/// <summary>
/// Client, before H2: verifies the announced collective key (every advertisement signed for this round by a
/// configured decryptor, at least the threshold of them), sums the b_i itself, then quantizes, encrypts, commits
/// and signs its upload. Single use.
/// </summary>
public sealed partial class HeClientAwaitKeyState
{
    private readonly HeRoundParameters _parameters;
    private readonly IdentityKeyPair _identity;
    private bool _used;

    internal HeClientAwaitKeyState(HeRoundParameters parameters, IdentityKeyPair identity, uint clientId)
    {
        _parameters = parameters;
        _identity = identity;
        ClientId = clientId;
    }

    /// <summary>This client's id.</summary>
    public uint ClientId { get; }

    /// <summary>Verifies the announcement and returns the collective public key it defines.</summary>
    /// <exception cref="HeProtocolException">A signature is bad or missing, a sender is not a decryptor, or fewer than the threshold remain.</exception>
    public PublicKey VerifyKey(CollectiveKeyAnnouncement announcement)
    {
        ArgumentNullException.ThrowIfNull(announcement);
        var adverts = KeyAdvertisementReader.Read(_parameters, announcement.Advertisements, "collective key");
        var shares = KeyAdvertisementReader.PublicKeyShares(_parameters, adverts);
        return CollectivePublicKey.Combine(_parameters.Plan, _parameters.CrpSeed.Span, shares);
    }

    /// <summary>Quantizes a real-valued update with the round's fixed-point quantizer, then uploads it.</summary>
    /// <exception cref="HeProtocolException">The key does not verify.</exception>
    /// <exception cref="ArgumentException">The update has the wrong length, or the round has no ClipRange.</exception>
    public HeStep<HeClientUploadedState> Upload(CollectiveKeyAnnouncement announcement, ReadOnlySpan<double> update, IRandomSource random)
    {
        var c = _parameters.Configuration;
        if (c.ClipRange <= 0)
        {
            throw new ArgumentException("the round has no ClipRange: pass quantized values", nameof(update));
        }
        CheckLength(update.Length, nameof(update));
        var quantizer = FixedPointQuantizer.Create(c.ClipRange, c.Bits, _parameters.ClientIds.Count);
        var quantized = new ulong[update.Length];
        quantizer.Quantize(update, quantized, random);
        return Upload(announcement, quantized, random);
    }

    /// <summary>Encrypts already-quantized values (residues mod 2^Bits), commits, signs and builds the H2 envelope.</summary>
    /// <exception cref="HeProtocolException">The key does not verify.</exception>
    /// <exception cref="ArgumentException">Wrong length or a value outside the plan's input range.</exception>
    public HeStep<HeClientUploadedState> Upload(CollectiveKeyAnnouncement announcement, ReadOnlySpan<ulong> values, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ObjectDisposedException.ThrowIf(_used, this);
        CheckLength(values.Length, nameof(values));
        var key = VerifyKey(announcement);
        var p = _parameters;
        byte[] upload = new UploadEncryptor(p.Plan, key).Encrypt(values, random);
        byte[] commitment = UploadCommitment.Compute(p.LatticeRound, (int)ClientId, upload, p.Plan.Parameters);
        var body = new ClientUpload
        {
            Upload = upload,
            Commitment = commitment,
            CommitmentSignature = _identity.Sign(HeDerivation.CommitmentSigningInput(p.ConfigurationHash.Span, ClientId, commitment)),
        };
        _used = true;
        var envelope = HeEnvelopeSigning.Seal(p, _identity, ClientId, HeStage.Upload, MessageCodec.Encode(body));
        return new HeStep<HeClientUploadedState>(envelope, new HeClientUploadedState(ClientId));
    }

    private void CheckLength(int length, string name)
    {
        if (length != _parameters.Configuration.VectorLength)
        {
            throw new ArgumentException($"the update must have {_parameters.Configuration.VectorLength} values, got {length}", name);
        }
    }
}
