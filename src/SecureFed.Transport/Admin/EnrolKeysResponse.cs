namespace SecureFed.Transport.Admin;

/// <summary>The client ids of the enrolled keys, in request order (a key already enrolled keeps its id).</summary>
public sealed class EnrolKeysResponse
{
    /// <summary>One id per requested key.</summary>
    public List<uint> ClientIds { get; set; } = [];
}
