using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Ring;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Lattice.Multiparty;

/// <summary>
/// One decryptor's part in collective key generation (Mouchet et al., PETS 2021, "CKG" and its threshold
/// variant): it samples a ternary key share s_i, publishes b_i = -a*s_i + e_i for the common random polynomial a
/// (so sum b_i = -a*s + e for s = sum s_i), and Shamir-shares s_i among all D decryptors with threshold t, after
/// which s_i is wiped. No party, and not the aggregator, ever holds s.
/// </summary>
public sealed class KeyGenerationParty : IDisposable
{
    private readonly AggregationPlan _plan;
    private readonly SecretKey[] _shares;
    private readonly IRandomSource _random;
    private bool _dealt;

    /// <summary>Samples this party's key share.</summary>
    /// <param name="plan">The aggregation plan (parameters, number of decryptors, threshold).</param>
    /// <param name="party">1-based index in [1, Decryptors].</param>
    /// <param name="random">Secret randomness (a CSPRNG in production).</param>
    public KeyGenerationParty(AggregationPlan plan, int party, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(random);
        if (party < 1 || party > plan.Options.Decryptors)
        {
            throw new ArgumentOutOfRangeException(nameof(party), $"party must be in [1, {plan.Options.Decryptors}]");
        }
        _plan = plan;
        Party = party;
        _random = random;
        _shares = new SecretKey[plan.Options.Bodies];
        for (int k = 0; k < _shares.Length; k++)
        {
            _shares[k] = SecretKey.Generate(plan.Parameters, random);
        }
    }

    /// <summary>1-based party index.</summary>
    public int Party { get; }

    /// <summary>b_i = -a*s_i + e_i for a = the expansion of the public <paramref name="crpSeed"/>.</summary>
    public PublicKeyShare CreatePublicKeyShare(ReadOnlySpan<byte> crpSeed)
    {
        ThrowIfDealt();
        var p = _plan.Parameters;
        var a = new ulong[p.KeyLevel * p.Degree];
        SeedExpander.ExpandNtt(crpSeed, p.Ring, p.KeyLevel, a);
        return new PublicKeyShare(Party, _shares.Select(sk => KeyShareMath.PublicKeyShare(sk, a, _random)).ToArray());
    }

    /// <summary>
    /// Shamir shares of s_i for recipients 1..D: f(j) = s_i + c_1 j + ... + c_(t-1) j^(t-1) with uniform
    /// coefficient polynomials c_k, over each upload-level prime. Wipes s_i afterwards (call once, after
    /// <see cref="CreatePublicKeyShare"/>).
    /// </summary>
    public IReadOnlyList<ShamirShare> DealShares()
    {
        ThrowIfDealt();
        var p = _plan.Parameters;
        int n = p.Degree;
        int level = _plan.UploadLevel;
        int threshold = _plan.Shares;
        int parties = _plan.Options.Decryptors;
        int bodies = _shares.Length;
        int size = level * n;
        // s_(i,k) in coefficient form at the upload level (keys are stored in NTT form), body-major.
        var secret = new ulong[bodies * size];
        for (int k = 0; k < bodies; k++)
        {
            _shares[k].Ntt[..size].CopyTo(secret.AsSpan(k * size, size));
            p.Ring.InverseNtt(secret.AsSpan(k * size, size), level);
        }
        // Polynomial coefficients c_1..c_(t-1) for every body and prime: index ((c * bodies + k) * level + i) * n.
        var coefficients = new ulong[(threshold - 1) * bodies * size];
        for (int c = 0; c < (threshold - 1) * bodies; c++)
        {
            for (int i = 0; i < level; i++)
            {
                Samplers.Uniform(_random, coefficients.AsSpan((c * level + i) * n, n), p.Ring.Moduli[i].Value);
            }
        }
        var shares = new List<ShamirShare>(parties);
        for (int j = 1; j <= parties; j++)
        {
            var values = new ulong[bodies * size];
            for (int k = 0; k < bodies; k++)
            {
                for (int i = 0; i < level; i++)
                {
                    ulong q = p.Ring.Moduli[i].Value;
                    ulong x = (ulong)j;
                    ulong xShoup = ModArith.ShoupPrecompute(x, q);
                    Span<ulong> acc = values.AsSpan(k * size + i * n, n);
                    // Horner: acc = (((c_(t-1)) j + c_(t-2)) j + ... + c_1) j + s
                    for (int c = threshold - 2; c >= 0; c--)
                    {
                        ReadOnlySpan<ulong> coefficient = coefficients.AsSpan(((c * bodies + k) * level + i) * n, n);
                        for (int z = 0; z < n; z++)
                        {
                            acc[z] = ModArith.MulShoup(ModArith.Add(acc[z], coefficient[z], q), x, xShoup, q);
                        }
                    }
                    PolyArith.AddInPlace(acc, secret.AsSpan(k * size + i * n, n), q);
                }
            }
            shares.Add(new ShamirShare(Party, j, threshold, values));
        }
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(coefficients.AsSpan()));
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(secret.AsSpan()));
        foreach (var sk in _shares)
        {
            sk.Dispose();
        }
        _dealt = true;
        return shares;
    }

    /// <summary>Wipes the key share.</summary>
    public void Dispose()
    {
        foreach (var sk in _shares)
        {
            sk.Dispose();
        }
    }

    private void ThrowIfDealt()
    {
        if (_dealt)
        {
            throw new InvalidOperationException("the key share was already dealt and wiped");
        }
    }
}
