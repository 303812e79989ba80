using MessagePack;

namespace SecureFed.Transport;

/// <summary>Answer to an accepted enrolment: the federation and the client id the key now has there.</summary>
[MessagePackObject]
public sealed class EnrolmentResponse
{
    /// <summary>Transport version, 1.</summary>
    [Key(0)]
    public int Version { get; set; } = 1;

    /// <summary>The federation joined.</summary>
    [Key(1)]
    public string Federation { get; set; } = "";

    /// <summary>The client id assigned (1 &lt;= id &lt; 2^31).</summary>
    [Key(2)]
    public uint ClientId { get; set; }
}
