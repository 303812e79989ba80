using SecureFed.Primitives.Randomness;
using SecureFed.Privacy.Parameters;
using SecureFed.Protocol.Updates;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Tests;

public class FloatEncodingParametersTests
{
    private static FloatEncodingOptions Options(int clients = 10, int? bits = 32, double? scale = null, double clip = 1.0, double maxWeight = 1) =>
        new() { Length = 4, ClipNorm = clip, Clients = clients, Bits = bits, Scale = scale, MaxWeight = maxWeight };

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_bad_clip_norm_is_refused_naming_the_field_and_range(double clip)
    {
        var e = Assert.Throws<ParameterOutOfRangeException>(() => FloatEncodingParameters.Create(Options(clip: clip)));
        Assert.Equal("ClipNorm", e.Field);
        Assert.Equal(ParameterRange.PositiveFinite, e.Allowed);
        Assert.Contains("(0, inf)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_out_of_range_fields_are_named()
    {
        Assert.Equal("Bits", Assert.Throws<ParameterOutOfRangeException>(() => FloatEncodingParameters.Create(Options(bits: 8))).Field);
        Assert.Equal("Bits", Assert.Throws<ParameterOutOfRangeException>(() => FloatEncodingParameters.Create(Options(bits: 65))).Field);
        Assert.Equal("Scale", Assert.Throws<ParameterOutOfRangeException>(() => FloatEncodingParameters.Create(Options(scale: -2))).Field);
        Assert.Equal("MaxWeight", Assert.Throws<ParameterOutOfRangeException>(() => FloatEncodingParameters.Create(Options(maxWeight: 0))).Field);
        Assert.Equal("MaxWeight", Assert.Throws<ParameterOutOfRangeException>(() => FloatEncodingParameters.Create(Options(maxWeight: 1e9))).Field);
        Assert.Equal("Clients", Assert.Throws<ParameterOutOfRangeException>(() => FloatEncodingParameters.Create(Options(clients: 0))).Field);
        Assert.Equal("Length", Assert.Throws<ParameterOutOfRangeException>(() => FloatEncodingParameters.Create(Options() with { Length = 0 })).Field);
        Assert.Equal("Rounding", Assert.Throws<ParameterOutOfRangeException>(
            () => FloatEncodingParameters.Create(Options() with { Rounding = (FloatRounding)7 })).Field);
    }

    [Fact]
    public void Bits_that_cannot_hold_the_clients_sum_are_refused_with_the_numbers()
    {
        // 2n must be at most 2^16 - 1: 40000 clients need 17 bits.
        var e = Assert.Throws<EncodingOverflowException>(() => FloatEncodingParameters.Create(Options(clients: 40_000, bits: 16)));
        Assert.Equal(40_000, e.Clients);
        Assert.Equal(16, e.Bits);
        Assert.Equal(17, e.RequiredBits);
        Assert.Null(e.RequestedScale);
        Assert.Contains("40000 clients", e.Message, StringComparison.Ordinal);
        Assert.Contains("17 bits would fit", e.Message, StringComparison.Ordinal);
        Assert.NotNull(FloatEncodingParameters.Create(Options(clients: 32_767, bits: 16)));
    }

    [Fact]
    public void A_scale_the_bits_cannot_reach_is_refused_with_the_finest_that_fits()
    {
        // 10 clients, 16 bits: R = floor(65535 / 20) = 3276 units per clip norm 1.
        var e = Assert.Throws<EncodingOverflowException>(() => FloatEncodingParameters.Create(Options(bits: 16, scale: 1e6)));
        Assert.Equal(1e6, e.RequestedScale);
        Assert.Equal(3276, e.AvailableScale);
        Assert.Equal(25, e.RequiredBits); // floor((2^25 - 1) / 20) >= 10^6 > floor((2^24 - 1) / 20)
        Assert.Equal("Scale", e.ParamName);
        Assert.Throws<EncodingOverflowException>(() => FloatEncodingParameters.Create(Options(bits: null, scale: 1e300)));
    }

    [Fact]
    public void A_scale_alone_chooses_the_fewest_bits_that_reach_it()
    {
        FloatEncodingParameters p = FloatEncodingParameters.Create(Options(bits: null, scale: 1e6, maxWeight: 4));
        Assert.Equal(27, p.Bits); // range 4: floor((2^27 - 1) / 20) / 4 >= 10^6
        Assert.True(p.Scale >= 1e6);
        Assert.True(FloatEncodingParameters.Create(Options(bits: 26, maxWeight: 4)).Scale < 1e6);
        Assert.Equal(FloatEncodingParameters.DefaultBits, FloatEncodingParameters.Create(Options(bits: null)).Bits);
    }

    [Fact]
    public void Weighted_encoding_sizes_the_modulus_for_clients_times_max_weight()
    {
        FloatEncodingParameters plain = FloatEncodingParameters.Create(Options());
        FloatEncodingParameters weighted = FloatEncodingParameters.Create(Options(maxWeight: 8));
        Assert.Equal(plain.Scale / 8, weighted.Scale, 9);
        Assert.Equal(8UL << 16, weighted.MaxWeightUnits);
        Assert.Equal([(4, 32), (1, 64)], weighted.Vectors().Select(v => (v.Length, v.Bits)));
    }

    [Fact]
    public void The_wire_form_is_a_MessagePack_array_with_integer_keys_and_round_trips()
    {
        FloatEncodingParameters p = FloatEncodingParameters.Create(new FloatEncodingOptions { Length = 4, ClipNorm = 1.5, Clients = 10, Bits = 32, MaxWeight = 1 });
        byte[] bytes = MessageCodec.Encode(p.ToConfiguration());
        // [1, 4, 1.5, 10, 32, 1.0, 0]: fixarray 7, fixints, float64 big-endian (protocol-spec/secagg.md, "Float updates").
        Assert.Equal("970104cb3ff80000000000000a20cb3ff000000000000000", Convert.ToHexStringLower(bytes));
        FloatEncodingParameters back = FloatEncodingParameters.Create(MessageCodec.Decode<FloatEncodingConfiguration>(bytes, 256));
        Assert.Equal((p.Length, p.ClipNorm, p.Clients, p.Bits, p.Scale, p.MaxWeight), (back.Length, back.ClipNorm, back.Clients, back.Bits, back.Scale, back.MaxWeight));
    }

    [Fact]
    public void A_chosen_modulus_travels_as_bits_and_gives_the_same_scale()
    {
        FloatEncodingParameters p = FloatEncodingParameters.Create(Options(bits: null, scale: 12345.6, clients: 777, maxWeight: 2.5));
        FloatEncodingParameters back = FloatEncodingParameters.Create(
            MessageCodec.Decode<FloatEncodingConfiguration>(MessageCodec.Encode(p.ToConfiguration()), 256));
        Assert.Equal(p.Bits, back.Bits);
        Assert.Equal(p.Scale, back.Scale);
    }

    [Fact]
    public void Bad_wire_configurations_are_refused()
    {
        var c = FloatEncodingParameters.Create(Options()).ToConfiguration();
        c.Version = 2;
        Assert.Equal("Version", Assert.Throws<ParameterOutOfRangeException>(() => FloatEncodingParameters.Create(c)).Field);
        c.Version = 1;
        c.Bits = 12;
        Assert.Equal("Bits", Assert.Throws<ParameterOutOfRangeException>(() => FloatEncodingParameters.Create(c)).Field);
        Assert.Throws<MalformedMessageException>(() => MessageCodec.Decode<FloatEncodingConfiguration>(new byte[] { 0x97, 0x01 }, 256));
    }

    [Fact]
    public void The_error_bound_follows_the_stated_formula()
    {
        FloatEncodingParameters p = FloatEncodingParameters.Create(Options(bits: 24, clients: 100, maxWeight: 2));
        double expected = 7 * ((1 / p.Scale) + (2 * 1.0 / (1L << 40))) / 9.5;
        Assert.Equal(expected, p.AverageErrorBound(7, 9.5), 15);
        Assert.Throws<ArgumentOutOfRangeException>(() => p.AverageErrorBound(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => p.AverageErrorBound(1, 0));
    }
}
