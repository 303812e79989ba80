using SecureFed.Primitives.Signatures;

namespace SecureFed.Client;

/// <summary>Where the app keeps the device's Ed25519 identity key (a file, a platform key store, ...).</summary>
public interface IIdentityKeyStore
{
    /// <summary>Loads the key pair; the caller owns (and disposes) the returned object.</summary>
    IdentityKeyPair LoadIdentity();
}
