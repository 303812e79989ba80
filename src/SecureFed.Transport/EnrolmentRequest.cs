using MessagePack;

namespace SecureFed.Transport;

/// <summary>Body of <c>POST /v1/enrol</c>: a one-time token from the operator; the key is the request's signer.</summary>
[MessagePackObject]
public sealed class EnrolmentRequest
{
    /// <summary>Transport version, 1.</summary>
    [Key(0)]
    public int Version { get; set; } = 1;

    /// <summary>The one-time enrolment token (hex) the operator handed out.</summary>
    [Key(1)]
    public string Token { get; set; } = "";
}
