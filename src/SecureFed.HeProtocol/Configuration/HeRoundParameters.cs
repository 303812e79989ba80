using System.Collections.Frozen;
using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Multiparty;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Updates;

namespace SecureFed.HeProtocol.Configuration;

/// <summary>
/// A validated <see cref="HeRoundConfiguration"/> and everything derived from it: the aggregation plan, the
/// configuration hash (the signing context of every message), the CRP seed and the round number the lattice
/// layer binds commitments and shares to.
/// </summary>
public sealed class HeRoundParameters
{
    private readonly FrozenDictionary<uint, int> _decryptorIndex;

    private HeRoundParameters(HeRoundConfiguration configuration, byte[] encoded, FrozenDictionary<uint, IdentityPublicKey> identities, AggregationPlan plan,
        FloatRoundEncoding? encoding)
    {
        Configuration = configuration;
        Encoding = encoding;
        EncodedConfiguration = encoded;
        ConfigurationHash = HeDerivation.ConfigurationHash(encoded);
        CrpSeed = HeDerivation.CrpSeed(ConfigurationHash.Span, configuration.RoundId);
        LatticeRound = HeDerivation.LatticeRound(ConfigurationHash.Span);
        Identities = identities;
        Plan = plan;
        ClientIds = [.. configuration.Roster.Select(e => e.ClientId)];
        DecryptorIds = [.. configuration.Decryptors];
        _decryptorIndex = configuration.Decryptors.Select((id, i) => (id, i)).ToFrozenDictionary(x => x.id, x => x.i + 1);
        BlockCount = UploadEncryptor.BlockCount(plan, configuration.VectorLength);
        UploadSize = UploadEncryptor.UploadSize(plan, configuration.VectorLength);
    }

    /// <summary>The configuration as agreed.</summary>
    public HeRoundConfiguration Configuration { get; }

    /// <summary>Its MessagePack encoding.</summary>
    public ReadOnlyMemory<byte> EncodedConfiguration { get; }

    /// <summary>SHA-256("SecureFed/he-round/v1/config" || encoding): binds every signature to this round.</summary>
    public ReadOnlyMemory<byte> ConfigurationHash { get; }

    /// <summary>The common random polynomial's seed (derived; nobody chooses it).</summary>
    public ReadOnlyMemory<byte> CrpSeed { get; }

    /// <summary>The round number of the lattice layer (commitments, decryption requests).</summary>
    public long LatticeRound { get; }

    /// <summary>Roster identity keys by client id.</summary>
    public FrozenDictionary<uint, IdentityPublicKey> Identities { get; }

    /// <summary>Enrolled client ids, ascending.</summary>
    public IReadOnlyList<uint> ClientIds { get; }

    /// <summary>Decryptor client ids in index order.</summary>
    public IReadOnlyList<uint> DecryptorIds { get; }

    /// <summary>A float or DP round's encoding (configuration keys 16/17, covered by the hash); null for an integer round.</summary>
    public FloatRoundEncoding? Encoding { get; }

    /// <summary>The aggregation plan.</summary>
    public AggregationPlan Plan { get; }

    /// <summary>Ciphertext blocks per upload.</summary>
    public int BlockCount { get; }

    /// <summary>Exact size of a serialized upload.</summary>
    public long UploadSize { get; }

    /// <summary>Threshold t.</summary>
    public int Threshold => Plan.Shares;

    /// <summary>The 1-based decryptor index of <paramref name="clientId"/>, or 0 when it is not a decryptor.</summary>
    public int DecryptorIndex(uint clientId) => _decryptorIndex.GetValueOrDefault(clientId);

    /// <summary>Validates <paramref name="configuration"/> and plans the aggregation.</summary>
    /// <exception cref="InvalidRoundConfigurationException">A field is missing or out of range; the message names it.</exception>
    public static HeRoundParameters Create(HeRoundConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Check(configuration.Version == 1, "Version", "1", configuration.Version);
        Check(configuration.RoundId is { Length: 16 }, "RoundId", "16 bytes", configuration.RoundId?.Length);
        RosterEntry[]? roster = configuration.Roster;
        Check(roster is { Length: >= 1 and <= 1_000_000 }, "Roster", "1 to 1000000 clients", configuration.Roster?.Length);
        var identities = new Dictionary<uint, IdentityPublicKey>();
        uint previous = 0;
        for (int i = 0; i < roster!.Length; i++)
        {
            RosterEntry? e = roster[i];
            Check(e is not null, $"Roster[{i}]", "present");
            Check(e!.ClientId is >= 1 and <= int.MaxValue && e.ClientId > previous, $"Roster[{i}].ClientId", $"in [1, 2^31 - 1] and above the previous id {previous}", e.ClientId);
            previous = e.ClientId;
            try
            {
                identities.Add(e.ClientId, IdentityPublicKey.Import(e.IdentityKey ?? []));
            }
            catch (FormatException)
            {
                throw new InvalidRoundConfigurationException($"Roster[{i}].IdentityKey", "a valid Ed25519 public key");
            }
        }
        uint[]? decryptors = configuration.Decryptors;
        Check(decryptors is { Length: >= 1 and <= 1000 }, "Decryptors", "1 to 1000 decryptors", configuration.Decryptors?.Length);
        Check(decryptors!.Distinct().Count() == decryptors.Length && decryptors.All(identities.ContainsKey), "Decryptors", "distinct enrolled client ids");
        Check(configuration.Threshold >= 1 && configuration.Threshold <= decryptors.Length, "Threshold", $"in [1, {decryptors.Length}]", configuration.Threshold);
        Check(configuration.VectorLength is >= 1 and <= 1 << 28, "VectorLength", "in [1, 2^28]", configuration.VectorLength);
        Check(configuration.MinimumClients >= 1 && configuration.MinimumClients <= roster.Length, "MinimumClients", $"in [1, {roster.Length}]", configuration.MinimumClients);
        Check(configuration.ClipRange >= 0 && double.IsFinite(configuration.ClipRange), "ClipRange", "finite and >= 0", configuration.ClipRange);
        FloatRoundEncoding? encoding = FloatRoundEncoding.Create(configuration.FloatEncoding, configuration.Dp, roster.Length);
        if (encoding is not null)
        {
            // The encoding's vectors as the one vector this scheme sums, with the window they lie in (he.md 10.1).
            SingleVectorLayout layout = encoding.SingleVector();
            Check(configuration.VectorLength == layout.Length, "VectorLength", $"{layout.Length}, the float encoding's values", configuration.VectorLength);
            Check(configuration.Bits == layout.Bits, "Bits", $"{layout.Bits}, the float encoding's width", configuration.Bits);
            Check(configuration.InputOffset == layout.InputOffset, "InputOffset", $"{layout.InputOffset}, the float encoding's offset", configuration.InputOffset);
            Check(configuration.InputRange == layout.InputRange, "InputRange", $"{layout.InputRange}, the float encoding's window", configuration.InputRange);
            Check(layout.Windowed || configuration.Lanes == 1, "Lanes", "1 in a DP round (its words wrap, so lanes cannot be packed)", configuration.Lanes);
        }
        AggregationPlan plan;
        try
        {
            plan = AggregationPlan.Create(new AggregationOptions
            {
                Clients = roster.Length,
                InputRange = configuration.InputRange,
                InputOffset = configuration.InputOffset,
                Bits = configuration.Bits,
                Lanes = configuration.Lanes,
                Bodies = configuration.Bodies,
                Decryptors = decryptors.Length,
                Threshold = configuration.Threshold,
                FloodingBits = configuration.FloodingBits,
                Degree = configuration.Degree,
                MaxDecryptionAttempts = configuration.MaxDecryptionAttempts,
                VectorLength = configuration.VectorLength,
            });
        }
        catch (HeParameterException e)
        {
            // The lattice layer names its option; the options carry the configuration's field names.
            throw new InvalidRoundConfigurationException(e.Field ?? "Configuration", e.Allowed ?? e.Message, e.Got);
        }
        return new HeRoundParameters(configuration, MessageCodec.Encode(configuration), identities.ToFrozenDictionary(), plan, encoding);
    }

    private static void Check(bool condition, string field, string allowed, object? got = null)
    {
        if (!condition)
        {
            throw new InvalidRoundConfigurationException(field, allowed, got);
        }
    }
}
