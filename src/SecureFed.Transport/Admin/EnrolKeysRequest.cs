namespace SecureFed.Transport.Admin;

/// <summary>Body of <c>POST /admin/v1/federations/{name}/clients</c>: Ed25519 public keys to add to the roster.</summary>
public sealed class EnrolKeysRequest
{
    /// <summary>Public keys, 64 hex digits each.</summary>
    public List<string> PublicKeys { get; set; } = [];
}
