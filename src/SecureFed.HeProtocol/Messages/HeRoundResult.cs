using MessagePack;

namespace SecureFed.HeProtocol.Messages;

/// <summary>S5 (type 5): the decrypted sum (values mod 2^PlaintextBits) and the clients it contains.</summary>
[MessagePackObject]
public sealed class HeRoundResult : HeServerMessage
{
    /// <summary>VectorLength values, the sum mod 2^PlaintextBits.</summary>
    [Key(1)]
    public ulong[] Sum { get; set; } = [];

    /// <summary>Ids of the clients whose uploads are in the sum, ascending.</summary>
    [Key(2)]
    public uint[] Contributors { get; set; } = [];
}
