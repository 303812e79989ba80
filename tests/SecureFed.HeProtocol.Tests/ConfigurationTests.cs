using SecureFed.HeProtocol.Configuration;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;

namespace SecureFed.HeProtocol.Tests;

public sealed class ConfigurationTests
{
    private static HeRoundConfiguration Copy(HeRoundConfiguration c) => MessagePack.MessagePackSerializer.Deserialize<HeRoundConfiguration>(MessageCodec.Encode(c));

    [Theory]
    [InlineData("Threshold")]
    [InlineData("Decryptors")]
    [InlineData("RoundId")]
    [InlineData("InputRange")]
    [InlineData("MaxDecryptionAttempts")]
    [InlineData("MinimumClients")]
    public void InvalidFieldsAreNamed(string field)
    {
        using var f = new HeRoundFixture();
        var c = Copy(f.Configuration);
        switch (field)
        {
            case "Threshold": c.Threshold = 4; break;
            case "Decryptors": c.Decryptors = [1, 9]; break;
            case "RoundId": c.RoundId = new byte[15]; break;
            case "InputRange": c.InputRange = 1UL << 31; break;
            case "MaxDecryptionAttempts": c.MaxDecryptionAttempts = 0; break;
            case "MinimumClients": c.MinimumClients = 5; break;
        }
        var e = Assert.Throws<InvalidRoundConfigurationException>(() => HeRoundParameters.Create(c));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void TheCrpSeedFollowsTheWholeConfiguration()
    {
        using var f = new HeRoundFixture();
        var c = Copy(f.Configuration);
        c.VectorLength++;
        var changed = HeRoundParameters.Create(c);
        Assert.False(changed.CrpSeed.Span.SequenceEqual(f.Parameters.CrpSeed.Span));
        Assert.True(HeRoundParameters.Create(Copy(f.Configuration)).CrpSeed.Span.SequenceEqual(f.Parameters.CrpSeed.Span));
        Assert.NotEqual(changed.LatticeRound, f.Parameters.LatticeRound);
    }
}
