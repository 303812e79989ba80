namespace SecureFed.Audit.Verification.He;

// What a verified H2 upload commits to: the opening's two hashes, the commitment and its signature (the upload itself
// is not kept, so the verifier's memory does not grow with the ciphertexts).
internal sealed record HeUploadFacts(byte[] MasksHash, byte[] BodiesHash, byte[] Commitment, byte[] CommitmentSignature);
