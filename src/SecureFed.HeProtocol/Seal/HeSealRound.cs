using SecureFed.HeProtocol.Configuration;
using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Seal;

namespace SecureFed.HeProtocol.Seal;

/// <summary>
/// An HE round seen from Microsoft SEAL 4.1 (protocol-spec/he.md section 11.3): the round's ring as SEAL
/// EncryptionParameters, its collective key as a SEAL PublicKey, and SEAL ciphertexts encrypted under that key
/// turned into the round's upload (section 7), which the client then commits to, signs and sends like any other.
/// Only layouts SEAL can produce qualify: one value per coefficient (Lanes = 1), one body (Bodies = 1),
/// t = 2^Bits below 2^60, and uploads at SEAL's first data level (the key level minus its last prime, or the single
/// prime). Everything else is refused with a <see cref="SealExportException"/> naming the rule.
/// </summary>
public static class HeSealRound
{
    /// <summary>The round's parameters as SEAL EncryptionParameters, after checking SEAL can take part.</summary>
    /// <exception cref="SealExportException">The round's layout is one SEAL cannot produce.</exception>
    public static SealEncryptionParameters Parameters(HeRoundParameters round)
    {
        ArgumentNullException.ThrowIfNull(round);
        var plan = round.Plan;
        if (plan.Options.Lanes != 1)
        {
            throw new SealExportException(SealExportRefusal.Lanes,
                $"the round packs {plan.Options.Lanes} values per coefficient; SEAL clients need Lanes = 1 (open the round with lanes 1, bodies 1)");
        }
        if (plan.Options.Bodies != 1)
        {
            throw new SealExportException(SealExportRefusal.MultipleBodies,
                $"the round's key has {plan.Options.Bodies} secrets sharing one mask; SEAL clients need Bodies = 1 (open the round with lanes 1, bodies 1)");
        }
        var seal = SealEncryptionParameters.FromBfv(plan.Parameters);
        int keyLevel = plan.Parameters.KeyLevel;
        int sealLevel = keyLevel == 1 ? 1 : keyLevel - 1;
        if (plan.UploadLevel != sealLevel)
        {
            throw new SealExportException(SealExportRefusal.UploadLevel,
                $"the round uploads at {plan.UploadLevel} of {keyLevel} primes; SEAL's encryptor produces ciphertexts at {sealLevel}");
        }
        return seal;
    }

    /// <summary>The round's collective public key as a SEAL PublicKey.</summary>
    /// <exception cref="SealExportException">The round's layout is one SEAL cannot produce.</exception>
    public static byte[] ExportPublicKey(HeRoundParameters round, PublicKey collectiveKey, SealComprMode mode = SealComprMode.None)
    {
        ArgumentNullException.ThrowIfNull(collectiveKey);
        Parameters(round);
        if (!collectiveKey.Parameters.Id.Span.SequenceEqual(round.Plan.Parameters.Id.Span))
        {
            throw new ArgumentException("the key belongs to other parameters", nameof(collectiveKey));
        }
        return SealSerializer.SavePublicKey(collectiveKey, mode);
    }

    /// <summary>
    /// The round's upload (he.md section 7) made of SEAL ciphertexts, one per block of N values in order (block b
    /// holds values [b·N, (b+1)·N) as coefficients 0..N-1, the last block zero-padded).
    /// </summary>
    /// <exception cref="SealExportException">The round's layout is one SEAL cannot produce.</exception>
    /// <exception cref="SealFormatException">A ciphertext is malformed, for other parameters or at another level, or the count is not the round's block count.</exception>
    public static byte[] Upload(HeRoundParameters round, IReadOnlyList<ReadOnlyMemory<byte>> sealCiphertexts)
    {
        ArgumentNullException.ThrowIfNull(sealCiphertexts);
        Parameters(round);
        if (sealCiphertexts.Count != round.BlockCount)
        {
            throw new SealFormatException($"the round takes {round.BlockCount} ciphertexts (one per {round.Plan.Parameters.Degree} values), got {sealCiphertexts.Count}");
        }
        var blocks = new Ciphertext[sealCiphertexts.Count];
        for (int b = 0; b < blocks.Length; b++)
        {
            blocks[b] = SealSerializer.LoadCiphertext(round.Plan.Parameters, sealCiphertexts[b].Span);
            if (blocks[b].Level != round.Plan.UploadLevel)
            {
                throw new SealFormatException($"ciphertext {b} is at {blocks[b].Level} primes; the round uploads at {round.Plan.UploadLevel}");
            }
        }
        return CiphertextCodec.Serialize(blocks);
    }
}
