using MessagePack;

namespace SecureFed.Transport;

/// <summary>
/// What <c>GET /v1/rounds/{id}/result</c> returns to a roster member once the round completed (protocol-spec/transport.md
/// section 2.3): the sums the service published and whose inputs they hold, so a float round's clients decode the
/// average themselves with the round's encoding.
/// </summary>
[MessagePackObject]
public sealed class RoundResultInfo
{
    /// <summary>Transport version, 1.</summary>
    [Key(0)]
    public int Version { get; set; } = 1;

    /// <summary>The sum of each configured vector, element by element mod 2^bits (HE: the one decrypted sum).</summary>
    [Key(1)]
    public ulong[][] Sums { get; set; } = [];

    /// <summary>The clients whose inputs are in the sums, ascending.</summary>
    [Key(2)]
    public uint[] Survivors { get; set; } = [];
}
