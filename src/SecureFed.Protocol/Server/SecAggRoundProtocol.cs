using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

/// <summary>Starts masking rounds' servers from their stored RoundConfiguration bytes.</summary>
public sealed class SecAggRoundProtocol : IRoundProtocol
{
    /// <inheritdoc />
    public RoundScheme Scheme => RoundScheme.Masking;

    /// <inheritdoc />
    public IRoundServer Start(ReadOnlyMemory<byte> configuration, int minimumClients)
    {
        RoundConfiguration decoded;
        try
        {
            decoded = MessageCodec.Decode<RoundConfiguration>(configuration, int.MaxValue);
        }
        catch (MalformedMessageException e)
        {
            throw new InvalidRoundConfigurationException("Configuration", "a RoundConfiguration encoding", e.Message);
        }
        return new SecAggRoundServer(RoundParameters.Create(decoded), minimumClients);
    }
}
