using SecureFed.HeProtocol.Configuration;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;
using SecureFed.Transport;

using SecureFed.Client.Seal;

namespace SecureFed.Client.Rounds;

/// <summary>
/// Makes the device's party for a round from its round info: reads the scheme, decodes and validates the configuration
/// (it must be the round asked for; parsed once per process and shared, <see cref="ParsedConfigurations{T}"/>) and
/// finds the device on the roster. The one place the client picks a scheme.
/// </summary>
internal static class RoundParties
{
    /// <param name="roundId">The round asked for (lowercase hex).</param>
    /// <param name="info">What the server answered for it.</param>
    /// <param name="identity">The device's identity key.</param>
    /// <param name="update">The update (copied here), or null to run only an HE decryptor role.</param>
    /// <param name="random">Randomness for keys and masks.</param>
    /// <param name="raise">Progress events: client id, stage, step.</param>
    /// <param name="seal">HE rounds: encrypts the update with SEAL instead (then <paramref name="update"/> is null).</param>
    /// <param name="kept">HE rounds: the client's upload buffer kept across rounds, if it keeps one.</param>
    public static IRoundParty Create(string roundId, RoundInfo info, IdentityKeyPair identity, ulong[][]? update, IRandomSource random,
        Action<uint, int, string> raise, ISealEncryptor? seal = null, KeptUploadBuffer? kept = null)
    {
        if (!WireNames.TryParseScheme(info.Scheme, out RoundScheme scheme))
        {
            throw new RoundAbortedException(roundId, AbortReason.InvalidServerMessage, $"the round's scheme '{info.Scheme}' is unknown to this client");
        }
        switch (scheme)
        {
            case RoundScheme.Masking:
            {
                if (update is null)
                {
                    throw new RequestRefusedException(409, WireNames.Of(ProblemCode.WrongScheme), $"round {roundId} is a masking round; only HE rounds have decryptors or SEAL uploads");
                }
                ParsedConfiguration<RoundParameters> parsed = Parse(roundId, info, Masking, c => c.Configuration.RoundId);
                RoundParameters p = parsed.Parameters;
                uint id = Member(roundId, parsed, identity);
                raise(id, 0, "configuration");
                return new MaskingRoundParty(roundId, p, id, identity, [.. update.Select(v => (ulong[])v.Clone())], random);
            }
            default:
            {
                if (update is not null && (update.Length != 1 || update[0] is null))
                {
                    throw new ArgumentException("an HE round sums exactly one vector", nameof(update));
                }
                ParsedConfiguration<HeRoundParameters> parsed = Parse(roundId, info, He, c => c.Configuration.RoundId);
                HeRoundParameters p = parsed.Parameters;
                uint id = Member(roundId, parsed, identity);
                raise(id, 0, "configuration");
                return new HeRoundParty(roundId, p, id, identity, (ulong[]?)update?[0].Clone(), random, (stage, step) => raise(id, stage, step), seal, kept);
            }
        }
    }

    // A configuration larger than this is not one a device should parse.
    private const int MaxConfigurationBytes = 64 << 20;

    /// <summary>Masking configurations parsed in this process, shared by the devices of a round.</summary>
    internal static ParsedConfigurations<RoundParameters> Masking { get; } = new(
        bytes => RoundParameters.Create(MessageCodec.Decode<RoundConfiguration>(bytes, MaxConfigurationBytes)), p => p.Identities);

    /// <summary>HE configurations parsed in this process, shared by the devices of a round.</summary>
    internal static ParsedConfigurations<HeRoundParameters> He { get; } = new(
        bytes => HeRoundParameters.Create(MessageCodec.Decode<HeRoundConfiguration>(bytes, MaxConfigurationBytes)), p => p.Identities);

    private static ParsedConfiguration<T> Parse<T>(string roundId, RoundInfo info, ParsedConfigurations<T> parsedConfigurations, Func<T, byte[]> roundIdOf)
        where T : class
    {
        ParsedConfiguration<T> parsed;
        try
        {
            parsed = parsedConfigurations.GetOrParse(info.Configuration);
        }
        catch (Exception e) when (e is MalformedMessageException or InvalidRoundConfigurationException)
        {
            throw new RoundAbortedException(roundId, AbortReason.InvalidServerMessage, $"invalid round configuration: {e.Message}");
        }
        if (RoundIds.Format(roundIdOf(parsed.Parameters)) != roundId)
        {
            throw new RoundAbortedException(roundId, AbortReason.InvalidServerMessage, "the server sent the configuration of another round");
        }
        return parsed;
    }

    private static uint Member<T>(string roundId, ParsedConfiguration<T> parsed, IdentityKeyPair identity)
        where T : class
    {
        uint id = parsed.IdOf(identity.PublicKey);
        return id != 0 ? id : throw new RequestRefusedException(403, WireNames.Of(ProblemCode.NotEnrolled), $"this key is not on the roster of round {roundId}");
    }
}
