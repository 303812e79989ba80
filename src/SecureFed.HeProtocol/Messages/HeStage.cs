namespace SecureFed.HeProtocol.Messages;

/// <summary>The party-to-server stages of an HE round (wire value in parentheses), in order.</summary>
public enum HeStage : byte
{
    /// <summary>(0) H0: a decryptor advertises its X25519 key and public-key share.</summary>
    KeyAdvertisement = 0,

    /// <summary>(1) H1: a decryptor sends its encrypted Shamir shares.</summary>
    KeyShares = 1,

    /// <summary>(2) H2: a client uploads its ciphertext and signed commitment.</summary>
    Upload = 2,

    /// <summary>(3) H3: a participant returns its decryption share.</summary>
    DecryptionShare = 3,
}
