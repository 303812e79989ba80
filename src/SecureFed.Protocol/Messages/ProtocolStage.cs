namespace SecureFed.Protocol.Messages;

/// <summary>The protocol rounds (wire value in parentheses), in order.</summary>
public enum ProtocolStage : byte
{
    /// <summary>(0) R0 AdvertiseKeys: clients send signed ephemeral public keys.</summary>
    AdvertiseKeys = 0,

    /// <summary>(1) R1 ShareKeys: clients send encrypted Shamir shares.</summary>
    ShareKeys = 1,

    /// <summary>(2) R2 MaskedInputCollection: clients send masked inputs.</summary>
    MaskedInputCollection = 2,

    /// <summary>(3) R3 ConsistencyCheck: clients sign the survivor set.</summary>
    ConsistencyCheck = 3,

    /// <summary>(4) R4 Unmasking: clients reveal shares.</summary>
    Unmasking = 4,
}
