using SecureFed.Audit.Keys;

namespace SecureFed.Audit.Verification;

// What the server sees should look like noise: chi-square on the masked inputs' words and on the share-bundle
// ciphertext bytes; and the same test must reject the plain inputs (from the key file), or it proves nothing.
internal static class UniformityChecks
{
    public static void Run(RoundView v, AuditKeyFile? keys, List<AuditCheck> checks, AuditHistograms histograms)
    {
        const string maskedId = "uniformity.masked-inputs", maskedText = "the masked inputs the server saw pass a chi-square uniformity test (top 8 bits of each word, alpha = 0.001)";
        const string ctId = "uniformity.ciphertexts", ctText = "the share-bundle ciphertexts the server relayed pass a chi-square uniformity test on bytes";
        const string plainId = "uniformity.plain-inputs", plainText = "the same test rejects the plain inputs (so it can tell structure from noise)";
        int bits = v.Parameters.Vectors[0].Bits;
        ChiSquareResult masked = ChiSquareUniformity.Test(v.U3.SelectMany(u => v.MaskedInputs[u][0]), bits);
        histograms.Masked = masked;
        checks.Add(Uniform(maskedId, maskedText, masked, "vector 0 of the survivors' masked inputs"));
        ChiSquareResult ct = ChiSquareUniformity.TestBytes(v.Shares.Values.SelectMany(s => s.Shares).SelectMany(b => b.Ciphertext));
        histograms.Ciphertexts = ct;
        checks.Add(Uniform(ctId, ctText, ct, "share-bundle ciphertexts"));
        if (keys is null)
        {
            checks.Add(AuditCheck.Skip(plainId, plainText, "needs the key file (--keys)"));
            return;
        }
        if (!keys.ConfigurationHash.AsSpan().SequenceEqual(v.Parameters.ConfigurationHash.Span))
        {
            checks.Add(AuditCheck.Skip(plainId, plainText, "the key file belongs to another round"));
            return;
        }
        ChiSquareResult plain = ChiSquareUniformity.Test(v.U3.SelectMany(u => KeyFileChecks.Inputs(v, keys.For(u)!)[0]), bits);
        histograms.Plain = plain;
        checks.Add(!plain.Enough
            ? AuditCheck.Skip(plainId, plainText, plain.Describe())
            : AuditCheck.From(plainId, plainText, !plain.LooksUniform, $"plain inputs rejected: {plain.Describe()}",
                $"the plain inputs also look uniform ({plain.Describe()}): the test cannot tell them from masked values"));
    }

    private static AuditCheck Uniform(string id, string text, ChiSquareResult r, string what) =>
        !r.Enough ? AuditCheck.Skip(id, text, $"{what}: {r.Describe()}")
        : AuditCheck.From(id, text, r.LooksUniform, $"{what}: {r.Describe()}", $"{what} are not uniform: {r.Describe()}");
}
