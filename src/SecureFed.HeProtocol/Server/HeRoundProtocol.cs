using SecureFed.HeProtocol.Configuration;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;

namespace SecureFed.HeProtocol.Server;

/// <summary>Starts HE rounds' servers from their stored HeRoundConfiguration bytes (their floor of uploads is
/// the configuration's MinimumClients, so the host's minimum is not used).</summary>
public sealed class HeRoundProtocol : IRoundProtocol
{
    /// <inheritdoc />
    public RoundScheme Scheme => RoundScheme.He;

    /// <inheritdoc />
    public IRoundServer Start(ReadOnlyMemory<byte> configuration, int minimumClients)
    {
        HeRoundConfiguration decoded;
        try
        {
            decoded = MessageCodec.Decode<HeRoundConfiguration>(configuration, int.MaxValue);
        }
        catch (MalformedMessageException e)
        {
            throw new InvalidRoundConfigurationException("Configuration", "an HeRoundConfiguration encoding", e.Message);
        }
        return new HeRoundServer(HeRoundParameters.Create(decoded));
    }
}
