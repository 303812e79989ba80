using MessagePack;

namespace SecureFed.Protocol.Configuration;

/// <summary>One vector aggregated in a round: its length and modulus 2^Bits (protocol-spec/secagg.md, "RoundConfiguration").</summary>
[MessagePackObject]
public sealed class VectorSpec
{
    /// <summary>Number of elements.</summary>
    [Key(0)]
    public int Length { get; set; }

    /// <summary>Elements are integers mod 2^Bits, 1 &lt;= Bits &lt;= 64.</summary>
    [Key(1)]
    public int Bits { get; set; }
}
