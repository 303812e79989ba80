namespace SecureFed.Primitives.Randomness;

/// <summary>
/// Where secret randomness comes from. Production code uses <see cref="SystemRandomSource"/> (the OS CSPRNG);
/// reproducible simulations and tests inject a <see cref="DeterministicRandomSource"/>.
/// </summary>
public interface IRandomSource
{
    /// <summary>Fills <paramref name="destination"/> with random bytes.</summary>
    void Fill(Span<byte> destination);
}
