namespace SecureFed.Transport.Admin;

/// <summary>A one-time enrolment token (secret until used: hand it to one client only).</summary>
public sealed class EnrolmentTokenResponse
{
    /// <summary>The token, 64 hex digits.</summary>
    public string Token { get; set; } = "";

    /// <summary>When it expires, ms since the Unix epoch.</summary>
    public long ExpiresUnixMs { get; set; }
}
