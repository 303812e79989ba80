using SecureFed.Client;
using SecureFed.Client.Rounds;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;
using SecureFed.Transport;

namespace SecureFed.Cli.Tests;

/// <summary>
/// The simulated devices of a swarm (all in one process) parse a round's configuration once and share it
/// (<see cref="ParsedConfigurations{T}"/>): equal configuration bytes give one instance, other bytes another, and a
/// malformed configuration is still refused with the typed error, every time it is asked for.
/// </summary>
public sealed class SharedConfigurationTests : IDisposable
{
    private readonly DeterministicRandomSource _random = new(14);
    private readonly IdentityKeyPair[] _devices;

    public SharedConfigurationTests() => _devices = [.. Enumerable.Range(0, 3).Select(_ => IdentityKeyPair.Generate(_random))];

    [Fact]
    public void Devices_of_one_round_share_one_parse_and_another_round_gets_its_own()
    {
        byte[] roundA = RoundId(0xA1), roundB = RoundId(0xB2);
        // Each device fetched its own copy of the bytes, as over HTTP.
        using IRoundParty a0 = Party(roundA, Configuration(roundA), _devices[0]);
        using IRoundParty a1 = Party(roundA, Configuration(roundA), _devices[1]);
        using IRoundParty b0 = Party(roundB, Configuration(roundB), _devices[0]);

        var p0 = Assert.IsType<MaskingRoundParty>(a0).Parameters;
        Assert.Same(p0, Assert.IsType<MaskingRoundParty>(a1).Parameters);
        Assert.NotSame(p0, Assert.IsType<MaskingRoundParty>(b0).Parameters);
        Assert.Equal((1u, 2u, 1u), (a0.ClientId, a1.ClientId, b0.ClientId));
    }

    [Fact]
    public void Equal_bytes_are_parsed_once_different_bytes_again_and_a_failed_parse_is_not_remembered()
    {
        int parses = 0;
        var cache = new ParsedConfigurations<RoundParameters>(bytes =>
        {
            parses++;
            return RoundParameters.Create(MessageCodec.Decode<RoundConfiguration>(bytes, bytes.Length));
        }, p => p.Identities);
        byte[] round = RoundId(0xC3);

        ParsedConfiguration<RoundParameters> first = cache.GetOrParse(Configuration(round));
        ParsedConfiguration<RoundParameters> second = cache.GetOrParse(Configuration(round));
        Assert.Same(first.Parameters, second.Parameters);
        Assert.Equal(1, parses);
        Assert.Equal(3u, second.IdOf(_devices[2].PublicKey));

        Assert.NotSame(first.Parameters, cache.GetOrParse(Configuration(RoundId(0xD4))).Parameters);
        Assert.Equal(2, parses);

        byte[] bad = Configuration(round, threshold: 1);
        Assert.Throws<InvalidRoundConfigurationException>(() => cache.GetOrParse(bad));
        Assert.Throws<InvalidRoundConfigurationException>(() => cache.GetOrParse(bad));
        Assert.Equal(4, parses);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_malformed_or_invalid_configuration_is_refused_with_the_typed_error_every_time(bool decodes)
    {
        byte[] round = RoundId(decodes ? (byte)0xE5 : (byte)0xF6);
        byte[] configuration = decodes ? Configuration(round, threshold: 1) : [0xc1, 0x01, 0x02];
        for (int device = 0; device < 2; device++)
        {
            var e = Assert.Throws<RoundAbortedException>(() => Party(round, configuration, _devices[device]));
            Assert.Equal(AbortReason.InvalidServerMessage, e.Reason);
            Assert.Contains("invalid round configuration", e.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_key_not_on_the_shared_roster_is_refused_as_not_enrolled()
    {
        byte[] round = RoundId(0x17);
        using IdentityKeyPair stranger = IdentityKeyPair.Generate(_random);
        var e = Assert.Throws<RequestRefusedException>(() => Party(round, Configuration(round), stranger));
        Assert.Equal(ProblemCode.NotEnrolled, e.Problem);
    }

    public void Dispose()
    {
        foreach (IdentityKeyPair d in _devices)
        {
            d.Dispose();
        }
        _random.Dispose();
    }

    private static byte[] RoundId(byte tag) => [tag, .. new byte[15]];

    private byte[] Configuration(byte[] roundId, int threshold = 2) => MessageCodec.Encode(new RoundConfiguration
    {
        RoundId = roundId,
        Vectors = [new VectorSpec { Length = 4, Bits = 16 }],
        Graph = GraphKind.Complete,
        Threshold = threshold,
        Roster = [.. _devices.Select((d, i) => new RosterEntry { ClientId = (uint)i + 1, IdentityKey = d.PublicKey.Bytes.ToArray() })],
    });

    private IRoundParty Party(byte[] roundId, byte[] configuration, IdentityKeyPair identity) =>
        RoundParties.Create(RoundIds.Format(roundId), new RoundInfo { Configuration = configuration, Scheme = Schemes.Masking, Status = "running" },
            identity, [new ulong[4]], _random, (_, _, _) => { });
}
