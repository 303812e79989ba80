using SecureFed.Lattice.Bfv;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Lattice.Ring;

/// <summary>
/// Public-seed expansion (protocol-spec/he.md, "Seed expansion"): residues of a uniform polynomial mod prime i
/// come from the AES-256-CTR keystream with key = the 32-byte seed and nonce = i (blocks
/// AES_k(BE64(i) || BE64(counter))), read as 8-byte little-endian words through <see cref="Samplers.Uniform"/>.
/// The result is taken to be in the NTT domain directly (a uniform polynomial is uniform in either domain).
/// </summary>
internal static class SeedExpander
{
    public const int SeedSize = 32;

    public static void ExpandNtt(ReadOnlySpan<byte> seed, RnsRing ring, int level, Span<ulong> destination)
    {
        if (seed.Length != SeedSize)
        {
            throw new HeFormatException($"seed must be {SeedSize} bytes");
        }
        for (int i = 0; i < level; i++)
        {
            using var source = new KeystreamRandomSource(seed, (ulong)i);
            Samplers.Uniform(source, ring.Component(destination, i), ring.Moduli[i].Value);
        }
    }
}
