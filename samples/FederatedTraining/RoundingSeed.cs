using System.Security.Cryptography;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Samples.FederatedTraining;

/// <summary>
/// The secret seed of the quantizer's stochastic rounding, drawn once per sample run from a CSPRNG. The plain
/// quantized run, the masking run and the HE run each draw their rounding from a stream of this one seed, so their
/// clients send identical integers whenever their models are identical: that is what lets the sample show the
/// three runs' sums (and so their models and accuracies) are equal bit for bit. Zeroed on dispose.
/// </summary>
internal sealed class RoundingSeed : IDisposable
{
    private readonly byte[] _seed = new byte[32];
    private bool _disposed;

    public RoundingSeed(IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        random.Fill(_seed);
    }

    /// <summary>A new rounding stream (a simulation artefact: a deployed client rounds with its own CSPRNG).</summary>
    public DeterministicRandomSource CreateStream()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new DeterministicRandomSource(_seed);
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_seed);
        _disposed = true;
    }

    public override string ToString() => "RoundingSeed(redacted)";
}
