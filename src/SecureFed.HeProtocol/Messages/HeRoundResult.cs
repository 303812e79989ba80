using MessagePack;

namespace SecureFed.HeProtocol.Messages;

/// <summary>S5 (type 5): the decrypted sum (values mod 2^Bits), the clients it contains and how it was checked.</summary>
[MessagePackObject]
public sealed class HeRoundResult : HeServerMessage
{
    /// <summary>VectorLength values, the sum mod 2^Bits.</summary>
    [Key(1)]
    public ulong[] Sum { get; set; } = [];

    /// <summary>Ids of the clients whose uploads are in the sum, ascending.</summary>
    [Key(2)]
    public uint[] Contributors { get; set; } = [];

    /// <summary>How the sum was checked against bad decryption shares (a second set disjoint from the first, or sharing decryptors with it, he.md 10.7).</summary>
    [Key(3)]
    public HeDecryptionCheck Check { get; set; }

    /// <summary>Client ids of the decryptors excluded for a bad decryption share (ascending; empty unless <see cref="HeDecryptionCheck.Elimination"/>).</summary>
    [Key(4)]
    public uint[] ExcludedDecryptors { get; set; } = [];
}
