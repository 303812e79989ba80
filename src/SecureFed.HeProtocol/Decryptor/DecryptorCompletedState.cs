namespace SecureFed.HeProtocol.Decryptor;

/// <summary>Decryptor, terminal: the key share is wiped.</summary>
public sealed class DecryptorCompletedState
{
    internal DecryptorCompletedState()
    {
    }
}
