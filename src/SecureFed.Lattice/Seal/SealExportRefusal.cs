namespace SecureFed.Lattice.Seal;

/// <summary>Why an object cannot be written in SEAL 4.1's format (<see cref="SealExportException.Refusal"/>).</summary>
public enum SealExportRefusal
{
    /// <summary>t = 2^bits with bits &gt;= 60: SEAL's plain modulus has at most 60 significant bits.</summary>
    PlainModulusTooLarge = 1,

    /// <summary>A multi-secret key or a shared-mask ciphertext (bodies &gt; 1): SEAL has one secret per key.</summary>
    MultipleBodies = 2,

    /// <summary>Several values per coefficient (lanes &gt; 1): a SEAL plaintext holds one value per coefficient.</summary>
    Lanes = 3,

    /// <summary>A ciphertext at the key level of a chain of more than one prime: SEAL keeps ciphertexts at data levels.</summary>
    KeyLevelCiphertext = 4,

    /// <summary>The round uploads at a level SEAL's encryptor does not produce (its first data level).</summary>
    UploadLevel = 5,
}
