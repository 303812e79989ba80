using System.Numerics;

namespace SecureFed.Lattice.Bfv;

/// <summary>
/// Parameters for one encrypted aggregation: the smallest secure ring and prime chain whose upload modulus holds
/// t, the sum's noise and the decryption flooding, plus an extra last prime (when it fits) that the client
/// modulus-switches away before upload. Lanes, bodies and degree left at 0 are chosen for the smallest upload
/// (protocol-spec/he.md, "Automatic layout"). Refuses configurations that cannot be made to work.
/// </summary>
public sealed class AggregationPlan
{
    private static readonly int[] Degrees = [4096, 8192, 16384, 32768];

    private AggregationPlan(AggregationOptions options, BfvParameters parameters, int uploadLevel, int shares)
    {
        Options = options;
        Parameters = parameters;
        UploadLevel = uploadLevel;
        Shares = shares;
        NoiseBudgetBits = NoiseModel.BudgetBits(parameters, uploadLevel, options.Clients, options.Decryptors, shares, options.FloodingBits);
        AggregateNoiseBits = NoiseModel.AggregateNoiseLog2(parameters, uploadLevel, options.Clients, options.Decryptors);
        UploadModulusBits = BigInteger.Log(parameters.ModulusAt(uploadLevel), 2);
    }

    /// <summary>The validated options.</summary>
    public AggregationOptions Options { get; }

    /// <summary>The BFV parameters (keys live at the full chain).</summary>
    public BfvParameters Parameters { get; }

    /// <summary>Number of primes the ciphertexts keep after modulus switching (upload and decryption level).</summary>
    public int UploadLevel { get; }

    /// <summary>Decryption shares combined per decryption (the threshold).</summary>
    public int Shares { get; }

    /// <summary>Bits of margin left after the sum and the flooding (positive = decryption correct).</summary>
    public double NoiseBudgetBits { get; }

    /// <summary>log2 of the bound on the aggregate's noise before flooding.</summary>
    public double AggregateNoiseBits { get; }

    /// <summary>log2 of the flooding bound each decryptor uses: FloodingBits + AggregateNoiseBits.</summary>
    public double FloodingBoundBits => Options.FloodingBits + AggregateNoiseBits;

    /// <summary>
    /// Largest body count an automatic layout uses: 16 bodies save under 6% of an 8-body upload but double key
    /// generation and key-share traffic again.
    /// </summary>
    public const int MaxAutoBodies = 8;

    /// <summary>Upload bytes of a <see cref="AggregationOptions.VectorLength"/>-value update (header and padding included), or 0 when the length is unknown.</summary>
    public long UploadBytes => Options.VectorLength == 0 ? 0 : UploadSizeFor(Options.VectorLength);

    /// <summary>Upload bits per value: exact for a known vector length, else the asymptotic (B + 1) components per B*N*L values.</summary>
    public double UploadBitsPerValue => UploadCost();

    /// <summary>Values per ciphertext: Bodies * N * Lanes.</summary>
    public int ValuesPerCiphertext => Options.Bodies * Parameters.Degree * Options.Lanes;

    /// <summary>log2 of the upload modulus.</summary>
    public double UploadModulusBits { get; }

    /// <summary>
    /// Validates <paramref name="options"/> and picks parameters.
    /// </summary>
    /// <exception cref="HeParameterException">A field is invalid, the inputs overflow t, or no secure ring holds the noise.</exception>
    public static AggregationPlan Create(AggregationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Clients < 1 || options.Clients > 1_000_000)
        {
            throw new HeParameterException("Clients", "in [1, 1000000]", options.Clients);
        }
        if (options.Bits < BfvParameters.MinPlaintextBits || options.Bits > BfvParameters.MaxPlaintextBits)
        {
            throw new HeParameterException("Bits", $"in [{BfvParameters.MinPlaintextBits}, {BfvParameters.MaxPlaintextBits}]", options.Bits);
        }
        if (options.InputRange < 1)
        {
            throw new HeParameterException("InputRange", "at least 1", options.InputRange);
        }
        if (options.Lanes < 0 || options.Lanes * options.Bits > 64)
        {
            throw new HeParameterException("Lanes", "0 (auto) or at least 1 with Lanes x Bits <= 64", $"{options.Lanes} x {options.Bits}");
        }
        if (options.Bodies < 0 || options.Bodies > 16)
        {
            throw new HeParameterException("Bodies", "0 (auto) or in [1, 16]", options.Bodies);
        }
        if (options.VectorLength < 0)
        {
            throw new HeParameterException("VectorLength", "0 (unknown) or positive", options.VectorLength);
        }
        if (options.Lanes > 1 && options.InputOffset >> options.Bits != 0)
        {
            throw new HeParameterException("InputOffset", $"below 2^{options.Bits}", options.InputOffset);
        }
        UInt128 maxSum = (UInt128)(options.InputRange - 1) * (ulong)options.Clients;
        if (maxSum >> options.Bits != 0)
        {
            throw new HeParameterException("InputRange", $"at most (2^{options.Bits} - 1) / {options.Clients} clients + 1 so the sum cannot overflow t = 2^{options.Bits}", options.InputRange);
        }
        if (options.Decryptors < 1 || options.Decryptors > 1000)
        {
            throw new HeParameterException("Decryptors", "in [1, 1000]", options.Decryptors);
        }
        int shares = options.Threshold == 0 ? options.Decryptors : options.Threshold;
        if (shares < 1 || shares > options.Decryptors)
        {
            throw new HeParameterException("Threshold", $"in [1, Decryptors = {options.Decryptors}]", options.Threshold);
        }
        if (options.FloodingBits < 0 || options.FloodingBits > 80)
        {
            throw new HeParameterException("FloodingBits", "in [0, 80]", options.FloodingBits);
        }
        if (options.MaxDecryptionAttempts < 1 || options.MaxDecryptionAttempts > 8)
        {
            throw new HeParameterException("MaxDecryptionAttempts", "in [1, 8]", options.MaxDecryptionAttempts);
        }
        if (options.Degree != 0 && BfvParameters.MaxModulusBits(options.Degree) == 0)
        {
            throw new HeParameterException("Degree", $"0 (auto) or one of {string.Join(", ", Degrees)}", options.Degree);
        }
        AggregationPlan? best = null;
        double bestCost = double.PositiveInfinity;
        // Lanes fit only while the offset does: an offset of Bits or more means L = 1 (the check above).
        int maxLanes = options.InputOffset >> options.Bits != 0 ? 1 : 64 / options.Bits;
        foreach (int lanes in options.Lanes == 0 ? Enumerable.Range(1, maxLanes) : [options.Lanes])
        {
            // For fixed lanes the bits per value do not depend on N (a component of N coefficients carries N*L values
            // per body) but q grows with N: the first degree that holds the noise is the best one.
            AggregationPlan? plan = null;
            foreach (int degree in options.Degree == 0 ? Degrees : [options.Degree])
            {
                plan = TryDegree(options with { Lanes = lanes, Bodies = Math.Max(1, options.Bodies) }, degree, shares);
                if (plan is not null)
                {
                    break;
                }
            }
            if (plan is null)
            {
                continue;
            }
            foreach (int bodies in options.Bodies == 0 ? Enumerable.Range(1, MaxAutoBodies) : [options.Bodies])
            {
                var candidate = bodies == plan.Options.Bodies ? plan : new AggregationPlan(plan.Options with { Bodies = bodies }, plan.Parameters, plan.UploadLevel, shares);
                double cost = candidate.UploadCost();
                // Strictly smaller only: ties keep fewer lanes and bodies (less key-generation work).
                if (cost < bestCost)
                {
                    (best, bestCost) = (candidate, cost);
                }
            }
        }
        if (best is not null)
        {
            return best;
        }
        throw new HeParameterException("Degree", $"a secure ring degree that holds t = 2^{options.Bits}, the noise of {options.Clients} ciphertexts and {options.FloodingBits}-bit flooding from {shares} decryptors", options.Degree == 0 ? "0 (auto: none fits)" : options.Degree);
    }

    private long UploadSizeFor(int length)
    {
        long blocks = Math.Max(1, ((long)length + ValuesPerCiphertext - 1) / ValuesPerCiphertext);
        return CiphertextCodec.HeaderSize + blocks * (Options.Bodies + 1) * CiphertextCodec.ComponentBytes(Parameters, UploadLevel);
    }

    private double UploadCost() => Options.VectorLength > 0
        ? UploadSizeFor(Options.VectorLength) * 8.0 / Options.VectorLength
        : (Options.Bodies + 1) * CiphertextCodec.ComponentBytes(Parameters, UploadLevel) * 8.0 / ValuesPerCiphertext;

    private static AggregationPlan? TryDegree(AggregationOptions o, int degree, int shares)
    {
        int maxBits = BfvParameters.MaxModulusBits(degree);
        // Starting point: the noise estimate without the encoding term, then walk upward until the exact budget
        // (on the actual primes) leaves at least one bit of margin.
        for (int withSpecial = 1; withSpecial >= 0; withSpecial--)
        {
            // Lower bound: t, the flooding and at least 2^8 of aggregate noise must fit.
            for (int upload = o.Bits * o.Lanes + Math.Max(20, o.FloodingBits + 8); upload <= maxBits; upload++)
            {
                int k = (upload + 59) / 60;
                int size = (upload + k - 1) / k;
                int special = withSpecial == 1 ? Math.Min(60, maxBits - k * size) : 0;
                if (withSpecial == 1 && special < 20)
                {
                    break;
                }
                var sizes = Enumerable.Repeat(size, k).ToList();
                if (special > 0)
                {
                    sizes.Add(special);
                }
                BfvParameters p;
                try
                {
                    p = BfvParameters.Create(new BfvParameterOptions { Degree = degree, PrimeBits = sizes, PlaintextBits = o.Bits * o.Lanes });
                }
                catch (HeParameterException)
                {
                    continue;
                }
                if (NoiseModel.BudgetBits(p, k, o.Clients, o.Decryptors, shares, o.FloodingBits) >= 1.0)
                {
                    return new AggregationPlan(o, p, k, shares);
                }
            }
        }
        return null;
    }
}
