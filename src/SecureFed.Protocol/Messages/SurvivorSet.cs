using MessagePack;

namespace SecureFed.Protocol.Messages;

/// <summary>S2 (type 2): the clients whose masked inputs the server accepted (U3), as a bitmap over the roster.</summary>
[MessagePackObject]
public sealed class SurvivorSet : ServerMessage
{
    /// <summary>U3 as a bitmap over the roster in ascending client id, in the KeyDirectory's form
    /// (<see cref="Derivation.RosterBitmap"/>): ceil(roster / 8) bytes, unused bits zero, every bit set also set in U1.
    /// A list of ids was 1 to 5 bytes per survivor to every survivor (secagg.md 2.3).</summary>
    [Key(1)]
    public byte[] Survivors { get; set; } = [];
}
