namespace SecureFed.Protocol.Hosting;

/// <summary>
/// How a scheme's server messages reach clients (protocol-spec/transport.md section 2): a host serves both the same
/// way from the messages of the latest close, and only the poll's shape differs.
/// </summary>
public enum ServerDelivery
{
    /// <summary>Exactly one message per stage close, polled by the stage index (masking rounds: close n ends stage n).</summary>
    OnePerStage = 0,

    /// <summary>Any number of messages per close, polled by close index, answered from the latest close (HE rounds).</summary>
    LatestClose = 1,
}
