namespace SecureFed.Client.Seal;

/// <summary>
/// Encrypts this device's update with Microsoft SEAL (C++, SEAL.NET, node-seal) under an HE round's collective key
/// (protocol-spec/he.md section 11.3). Called once, when the key is announced; the update never passes through
/// SecureFed. See samples/SealClient.
/// </summary>
public interface ISealEncryptor
{
    /// <summary>
    /// Returns <see cref="SealRoundKey.BlockCount"/> SEAL ciphertexts (SEAL 4.1 serialization, any compression mode),
    /// ciphertext b encrypting values [b·N, (b+1)·N) of the update as plaintext coefficients 0..N-1 under
    /// <see cref="SealRoundKey.PublicKey"/>, each value a residue mod 2^Bits inside the round's input range.
    /// </summary>
    IReadOnlyList<byte[]> Encrypt(SealRoundKey key);
}
