using System.Buffers.Binary;
using System.Security.Cryptography;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Multiparty;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Server;

namespace SecureFed.HeProtocol.Server;

/// <summary>
/// H2: collects client uploads. Each is checked (exact shape, commitment recomputed, commitment signature) and
/// added to a running sum at once; only its opening (masks and bodies hash) and signed commitment are kept for H3.
/// </summary>
public sealed class HeServerH2UploadState : HeServerState
{
    private readonly uint[] _decryptors;
    private readonly HashSet<uint> _expected;
    private readonly SortedDictionary<uint, OpenedUpload> _openings = [];
    private readonly UploadAccumulator _sum;

    internal HeServerH2UploadState(HeRoundParameters parameters, uint[] decryptors)
        : base(parameters)
    {
        _decryptors = decryptors;
        _expected = [.. parameters.ClientIds];
        _sum = new UploadAccumulator(parameters.Plan);
    }

    /// <inheritdoc />
    public override string Name => "H2 upload";

    /// <inheritdoc />
    public override HeStage? Stage => HeStage.Upload;

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Expected => _expected;

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Received => _openings.Keys;

    /// <summary>Uploads accepted so far (a shard's report of them).</summary>
    internal IEnumerable<OpenedUpload> Openings => _openings.Values;

    /// <summary>The sum of the accepted uploads, or null before the first.</summary>
    internal IReadOnlyList<Ciphertext>? Sum => _sum.Count == 0 ? null : _sum.Sum;

    /// <inheritdoc />
    public override HeServerTransition CloseStage() => Close([.. _openings.Values], () => _sum.Sum);

    /// <summary>The close over <paramref name="openings"/> (ascending client id) and their sum, which is asked for only
    /// when the round goes on: this state's own close, and a sharded root's over its shards' openings and partial
    /// sums added (<see cref="HeRoundRoot"/>), so both decide and word it alike.</summary>
    internal HeServerTransition Close(OpenedUpload[] openings, Func<IReadOnlyList<Ciphertext>> sum)
    {
        if (!Enough(openings.Length))
        {
            return Abort(HeAbortReason.TooFewUploads, $"{openings.Length} clients uploaded; at least {Parameters.Configuration.MinimumClients} are required");
        }
        int[] indices = DecryptorIndices();
        var h3 = new HeServerH3DecryptionState(Parameters, indices, openings, sum());
        return h3.StartAttempt(1, FirstParticipants());
    }

    /// <summary>Whether <paramref name="uploads"/> uploads let the round go on to its decryption.</summary>
    internal bool Enough(int uploads) => uploads >= Parameters.Configuration.MinimumClients;

    /// <summary>The decryptor indices the first H3 attempt asks (the first t of the final decryptors).</summary>
    internal int[] FirstParticipants() => [.. DecryptorIndices().Take(Parameters.Threshold)];

    private int[] DecryptorIndices() => [.. _decryptors.Select(Parameters.DecryptorIndex).Order()];

    private protected override MessageRejection? Accept(HeEnvelope envelope)
    {
        var body = MessageCodec.Decode<ClientUpload>(envelope.Body, envelope.Body.Length);
        if (body.Version != 1 || body.Upload is null || body.Commitment is not { Length: UploadCommitment.Size } || body.CommitmentSignature is null)
        {
            return new MessageRejection(RejectionReason.Malformed, "version must be 1 with an upload, a 32-byte commitment and a signature");
        }
        var p = Parameters.Plan.Parameters;
        UploadOpening opening;
        try
        {
            // FromUpload checks magic, version, kind 1, degree, parameter id and exact length; the header's level
            // (byte 7), block count (bytes 16..19, LE) and bodies (byte 20) must then match the round.
            opening = UploadOpening.FromUpload(body.Upload, p);
            if (body.Upload.Length != Parameters.UploadSize || body.Upload[7] != Parameters.Plan.UploadLevel
                || BinaryPrimitives.ReadUInt32LittleEndian(body.Upload.AsSpan(16)) != (uint)Parameters.BlockCount || body.Upload[20] != Parameters.Plan.Options.Bodies)
            {
                return new MessageRejection(RejectionReason.WrongLength, $"an upload must be a {Parameters.BlockCount}-block public-key ciphertext vector of {Parameters.UploadSize} bytes at level {Parameters.Plan.UploadLevel}");
            }
        }
        catch (HeFormatException e)
        {
            return new MessageRejection(RejectionReason.WrongLength, e.Message);
        }
        byte[] commitment = UploadCommitment.Compute(Parameters.LatticeRound, (int)envelope.SenderId, opening);
        if (!CryptographicOperations.FixedTimeEquals(commitment, body.Commitment))
        {
            return new MessageRejection(RejectionReason.InvalidContent, "the commitment does not match the upload");
        }
        byte[] signed = HeDerivation.CommitmentSigningInput(Parameters.ConfigurationHash.Span, envelope.SenderId, commitment);
        if (!Parameters.Identities[envelope.SenderId].Verify(signed, body.CommitmentSignature))
        {
            return new MessageRejection(RejectionReason.BadSignature, "the commitment signature does not verify");
        }
        try
        {
            _sum.Add(body.Upload); // parses every residue before it adds anything
        }
        catch (HeFormatException e)
        {
            return new MessageRejection(RejectionReason.WrongLength, e.Message);
        }
        _openings.Add(envelope.SenderId, new OpenedUpload
        {
            ClientId = envelope.SenderId,
            Masks = opening.Masks.ToArray(),
            BodiesHash = opening.BodiesHash.ToArray(),
            Commitment = commitment,
            CommitmentSignature = body.CommitmentSignature,
        });
        return null;
    }
}
