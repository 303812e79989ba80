using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Updates;

namespace SecureFed.Protocol.Tests;

// The float encoding inside the round configuration (secagg.md 2.1 keys 7/8): optional trailing keys, validated
// against the round's vectors and roster, and covered by the configuration hash.
public class ConfigurationEncodingTests
{
    private static RosterEntry[] Roster(int n) => [.. Enumerable.Range(1, n).Select(i => new RosterEntry
    {
        ClientId = (uint)i,
        IdentityKey = IdentityKeyPair.FromSeed(Enumerable.Repeat((byte)i, 32).ToArray()).PublicKey.Bytes.ToArray(),
    })];

    private static RoundConfiguration Float(double clip, int clients = 3, int roster = 3)
    {
        var p = FloatEncodingParameters.Create(new FloatEncodingOptions { Length = 4, ClipNorm = clip, Clients = clients, Bits = 32 });
        return new RoundConfiguration
        {
            RoundId = new byte[16], Threshold = 2, Roster = Roster(roster), Vectors = p.Vectors(), FloatEncoding = p.ToConfiguration(),
        };
    }

    [Fact]
    public void A_float_configuration_round_trips_and_its_hash_covers_the_encoding()
    {
        RoundParameters a = RoundParameters.Create(Float(1.5));
        RoundParameters decoded = RoundParameters.Create(MessageCodec.Decode<RoundConfiguration>(a.EncodedConfiguration, int.MaxValue));
        Assert.Equal(a.ConfigurationHash.ToArray(), decoded.ConfigurationHash.ToArray());
        Assert.Equal(1.5, decoded.Encoding!.Plain!.ClipNorm);
        Assert.Equal(0x98, a.EncodedConfiguration.Span[0]); // 8 elements: key 8 (Dp) left out
        Assert.NotEqual(a.ConfigurationHash.ToArray(), RoundParameters.Create(Float(15)).ConfigurationHash.ToArray());
    }

    [Fact]
    public void An_encoding_that_does_not_match_the_vectors_or_the_roster_is_refused_naming_the_field()
    {
        RoundConfiguration wrongVectors = Float(1);
        wrongVectors.Vectors = [new VectorSpec { Length = 4, Bits = 32 }];
        Assert.Equal("Vectors", Assert.Throws<InvalidRoundConfigurationException>(() => RoundParameters.Create(wrongVectors)).Field);
        Assert.Equal("FloatEncoding.Clients", Assert.Throws<InvalidRoundConfigurationException>(() => RoundParameters.Create(Float(1, clients: 5))).Field);
        RoundConfiguration badClip = Float(1);
        badClip.FloatEncoding!.ClipNorm = -1;
        Assert.Equal("FloatEncoding.ClipNorm", Assert.Throws<InvalidRoundConfigurationException>(() => RoundParameters.Create(badClip)).Field);
    }

    [Fact]
    public void The_single_vector_layout_joins_and_splits_and_keeps_the_weight_sum_exact()
    {
        var p = FloatEncodingParameters.Create(new FloatEncodingOptions { Length = 3, ClipNorm = 1, Clients = 10, Bits = 32, MaxWeight = 2 });
        SingleVectorLayout layout = FloatRoundEncoding.For(p).SingleVector();
        Assert.Equal(4, layout.Length);
        Assert.Equal(32, layout.Bits);
        Assert.True(layout.Windowed);
        Assert.True((UInt128)(layout.InputRange - 1) * 10 <= uint.MaxValue);
        ulong[] joined = layout.Join([[1, 2, 3], [131072]]);
        Assert.Equal([1UL, 2, 3, 131072], joined);
        ulong[][] split = layout.Split(joined);
        Assert.Equal([1UL, 2, 3], split[0]);
        Assert.Equal([131072UL], split[1]);
        Assert.Throws<ArgumentException>(() => layout.Join([[1, 2, 3], [1UL << 40]]));
        var narrow = FloatEncodingParameters.Create(new FloatEncodingOptions { Length = 3, ClipNorm = 1, Clients = 10, Bits = 16, MaxWeight = 16 });
        Assert.Equal("FloatEncoding.MaxWeight", Assert.Throws<InvalidRoundConfigurationException>(() => FloatRoundEncoding.For(narrow).SingleVector()).Field);
    }
}
