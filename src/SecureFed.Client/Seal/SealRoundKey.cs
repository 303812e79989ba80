namespace SecureFed.Client.Seal;

/// <summary>What a SEAL encryptor needs for one HE round (he.md section 11.3).</summary>
/// <param name="EncryptionParameters">The round's ring as SEAL EncryptionParameters (BFV, t = 2^Bits).</param>
/// <param name="PublicKey">The round's collective key, verified by this device, as a SEAL PublicKey.</param>
/// <param name="Degree">N: values per ciphertext.</param>
/// <param name="BlockCount">Ciphertexts to return: ceil(VectorLength / N).</param>
/// <param name="VectorLength">Values in the update.</param>
/// <param name="Bits">Values are residues mod 2^Bits.</param>
public sealed record SealRoundKey(byte[] EncryptionParameters, byte[] PublicKey, int Degree, int BlockCount, int VectorLength, int Bits);
