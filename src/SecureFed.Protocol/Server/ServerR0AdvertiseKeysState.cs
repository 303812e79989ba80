using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

/// <summary>R0 AdvertiseKeys: collects signed key advertisements from enrolled clients; closes with the key directory.</summary>
public sealed class ServerR0AdvertiseKeysState : ServerState
{
    internal ServerR0AdvertiseKeysState(LocalSecAggRound round)
        : base(round)
    {
    }

    /// <inheritdoc />
    public override string Name => "R0 AdvertiseKeys";

    /// <inheritdoc />
    public override ProtocolStage? Stage => ProtocolStage.AdvertiseKeys;
}
