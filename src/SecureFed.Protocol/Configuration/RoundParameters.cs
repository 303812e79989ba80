using System.Collections.Frozen;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Configuration;

/// <summary>
/// A validated, immutable view of a <see cref="RoundConfiguration"/> with its hash and parsed roster.
/// The only way to get one is <see cref="Create(RoundConfiguration)"/>, which checks every field.
/// </summary>
public sealed class RoundParameters
{
    /// <summary>Largest vector length accepted (2^28 elements, <see cref="RoundLimits.MaxVectorLength"/>).</summary>
    public const int MaxVectorLength = RoundLimits.MaxVectorLength;

    /// <summary>Largest roster accepted (<see cref="RoundLimits.MaxClients"/>).</summary>
    public const int MaxClients = RoundLimits.MaxClients;

    private RoundParameters(RoundConfiguration configuration, byte[] encoded, FrozenDictionary<uint, IdentityPublicKey> roster, Updates.FloatRoundEncoding? encoding)
    {
        Configuration = configuration;
        Encoding = encoding;
        EncodedConfiguration = encoded;
        ConfigurationHash = SessionDerivation.ConfigurationHash(encoded);
        Identities = roster;
        _ascendingIds = [.. roster.Keys.Order()];
        ClientIds = Array.AsReadOnly(_ascendingIds);
    }

    private readonly uint[] _ascendingIds;

    /// <summary>The configuration (do not mutate it after validation).</summary>
    public RoundConfiguration Configuration { get; }

    /// <summary>Canonical MessagePack encoding of the configuration.</summary>
    public ReadOnlyMemory<byte> EncodedConfiguration { get; }

    /// <summary>SHA-256 binding of the configuration (protocol-spec/secagg.md, "Configuration hash").</summary>
    public ReadOnlyMemory<byte> ConfigurationHash { get; }

    /// <summary>Enrolled client ids, ascending.</summary>
    public IReadOnlyList<uint> ClientIds { get; }

    // The enrolled ids ascending, for a client's roster-indexed bit sets (one bit per enrolled client, not one id).
    internal ReadOnlySpan<uint> AscendingClientIds => _ascendingIds;

    /// <summary>Identity key per enrolled client id.</summary>
    public FrozenDictionary<uint, IdentityPublicKey> Identities { get; }

    /// <summary>Shamir threshold and minimum number of clients at every stage.</summary>
    public int Threshold => Configuration.Threshold;

    /// <summary>The vectors of the round.</summary>
    public IReadOnlyList<VectorSpec> Vectors => Configuration.Vectors;

    /// <summary>A float or DP round's encoding (configuration keys 7/8, covered by the hash); null for an integer round.</summary>
    public Updates.FloatRoundEncoding? Encoding { get; }

    /// <summary>How many clients hold shares of each client's secrets: n (complete graph) or k + 1 (Harary).</summary>
    public int HoldersPerClient => Configuration.Graph == GraphKind.Complete ? ClientIds.Count : Configuration.GraphDegree + 1;

    /// <summary>Smallest threshold allowed when each secret has <paramref name="holders"/> holders: a strict majority.</summary>
    public static int MinimumThreshold(int holders) => holders / 2 + 1;

    /// <summary>Validates <paramref name="configuration"/>.</summary>
    /// <exception cref="InvalidRoundConfigurationException">A field is missing or out of range; the message names it.</exception>
    public static RoundParameters Create(RoundConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Check(configuration.Version == RoundConfiguration.CurrentVersion, "Version", $"{RoundConfiguration.CurrentVersion}", configuration.Version);
        Check(configuration.RoundId is { Length: 16 }, "RoundId", "16 bytes", configuration.RoundId?.Length);
        Check(configuration.Vectors is { Length: > 0 and <= 1024 }, "Vectors", "1 to 1024 vectors", configuration.Vectors?.Length);
        for (int i = 0; i < configuration.Vectors!.Length; i++)
        {
            VectorSpec? v = configuration.Vectors[i];
            Check(v is not null, $"Vectors[{i}]", "present");
            Check(v!.Length is > 0 and <= MaxVectorLength, $"Vectors[{i}].Length", $"in [1, {MaxVectorLength}]", v.Length);
            Check(v.Bits is >= 1 and <= 64, $"Vectors[{i}].Bits", "in [1, 64]", v.Bits);
        }
        Check(Enum.IsDefined(configuration.Graph), "Graph", "a known graph kind", (int)configuration.Graph);
        RosterEntry[]? roster = configuration.Roster;
        Check(roster is { Length: >= 2 }, "Roster", "at least 2 clients", configuration.Roster?.Length);
        Check(roster!.Length <= MaxClients, "Roster", $"at most {MaxClients} clients", roster.Length);
        var identities = new Dictionary<uint, IdentityPublicKey>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        uint previous = 0;
        for (int i = 0; i < roster.Length; i++)
        {
            RosterEntry? e = roster[i];
            Check(e is not null, $"Roster[{i}]", "present");
            Check(e!.ClientId is >= 1 and <= int.MaxValue, $"Roster[{i}].ClientId", "in [1, 2^31 - 1]", e.ClientId);
            Check(e.ClientId > previous, $"Roster[{i}].ClientId", $"above the previous id {previous} (ids strictly ascending)", e.ClientId);
            previous = e.ClientId;
            IdentityPublicKey key;
            try
            {
                key = IdentityPublicKey.Import(e.IdentityKey ?? []);
            }
            catch (FormatException)
            {
                throw new InvalidRoundConfigurationException($"Roster[{i}].IdentityKey", "a valid Ed25519 public key");
            }
            Check(keys.Add(key.ToString()), $"Roster[{i}].IdentityKey", "a key no other roster entry has");
            identities.Add(e.ClientId, key);
        }
        int n = roster.Length;
        int holders = n;
        if (configuration.Graph == GraphKind.Harary)
        {
            int k = configuration.GraphDegree;
            Check(k >= 2 && k % 2 == 0 && k < n, "GraphDegree", $"even and in [2, {n - 1}] for a Harary graph", k);
            holders = k + 1;
        }
        else
        {
            Check(configuration.GraphDegree == 0, "GraphDegree", "0 for the complete graph", configuration.GraphDegree);
        }
        Check(configuration.Threshold >= MinimumThreshold(holders) && configuration.Threshold <= holders, "Threshold",
            $"in [{MinimumThreshold(holders)}, {holders}] for {holders} share holders per client (a strict majority)", configuration.Threshold);
        Updates.FloatRoundEncoding? encoding = Updates.FloatRoundEncoding.Create(configuration.FloatEncoding, configuration.Dp, n);
        if (encoding is not null)
        {
            VectorSpec[] expected = encoding.Vectors();
            Check(expected.Length == configuration.Vectors.Length && expected.Zip(configuration.Vectors).All(p => p.First.Length == p.Second.Length && p.First.Bits == p.Second.Bits),
                "Vectors", $"the float encoding's vectors ({string.Join(", ", expected.Select(v => $"{v.Length} x {v.Bits} bits"))})",
                string.Join(", ", configuration.Vectors.Select(v => $"{v.Length} x {v.Bits} bits")));
        }
        return new RoundParameters(configuration, MessageCodec.EncodeConfiguration(configuration), identities.ToFrozenDictionary(), encoding);
    }

    private static void Check(bool condition, string field, string allowed, object? got = null)
    {
        if (!condition)
        {
            throw new InvalidRoundConfigurationException(field, allowed, got);
        }
    }
}
