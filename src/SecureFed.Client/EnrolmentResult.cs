namespace SecureFed.Client;

/// <summary>The roster place obtained with an enrolment token.</summary>
public sealed class EnrolmentResult(string federation, uint clientId)
{
    /// <summary>The federation joined.</summary>
    public string Federation { get; } = federation;

    /// <summary>The client id there.</summary>
    public uint ClientId { get; } = clientId;
}
