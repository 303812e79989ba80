namespace SecureFed.Transport.Admin;

/// <summary>Body of <c>POST /admin/v1/federations/{name}/enrolment-tokens</c>.</summary>
public sealed class EnrolmentTokenRequest
{
    /// <summary>How long the token may be used, in seconds.</summary>
    public double ValidSeconds { get; set; } = 3600;
}
