using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace SecureFed.Protocol.Updates;

/// <summary>
/// A pooled double-precision copy of a client's update that the encoders may clip and scale in place. The update is
/// the client's private data, so <see cref="Dispose"/> wipes the copy before the buffer goes back to the pool.
/// </summary>
internal ref struct UpdateScratch
{
    private double[]? _rented;
    private readonly int _length;

    private UpdateScratch(int length)
    {
        _rented = ArrayPool<double>.Shared.Rent(length);
        _length = length;
    }

    /// <summary>The copy, exactly as long as the update.</summary>
    public readonly Span<double> Values => _rented.AsSpan(0, _length);

    /// <summary>A widened copy of a single-precision update.</summary>
    public static UpdateScratch CopyOf(ReadOnlySpan<float> update)
    {
        var scratch = new UpdateScratch(update.Length);
        Span<double> x = scratch.Values;
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = update[i];
        }
        return scratch;
    }

    /// <summary>A copy of a double-precision update.</summary>
    public static UpdateScratch CopyOf(ReadOnlySpan<double> update)
    {
        var scratch = new UpdateScratch(update.Length);
        update.CopyTo(scratch.Values);
        return scratch;
    }

    /// <summary>Wipes the copy and returns its buffer.</summary>
    public void Dispose()
    {
        if (_rented is null)
        {
            return;
        }
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(Values));
        ArrayPool<double>.Shared.Return(_rented);
        _rented = null;
    }
}
