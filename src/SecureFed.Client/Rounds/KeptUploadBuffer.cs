using SecureFed.HeProtocol.Client;
using SecureFed.HeProtocol.Configuration;

namespace SecureFed.Client.Rounds;

/// <summary>
/// The one <see cref="HeUploadBuffer"/> a client keeps from one HE round to the next, lent to one round at a time: a
/// device that uploads round after round then encrypts into memory it has already written instead of allocating its
/// update copy and upload afresh (README, issue 17). A round of another shape replaces the buffer; a round that starts
/// while another holds it gets none and takes the allocating path.
/// </summary>
internal sealed class KeptUploadBuffer : IDisposable
{
    private readonly Lock _gate = new();
    private HeUploadBuffer? _buffer;
    private bool _lent;
    private bool _disposed;
    private int _reuses;

    /// <summary>How many rounds were lent a buffer an earlier round had already used.</summary>
    public int Reuses
    {
        get
        {
            lock (_gate)
            {
                return _reuses;
            }
        }
    }

    /// <summary>The buffer for a round shaped like <paramref name="parameters"/>, or null when another round holds it.</summary>
    public HeUploadBuffer? Lend(HeRoundParameters parameters)
    {
        lock (_gate)
        {
            if (_disposed || _lent)
            {
                return null;
            }
            if (_buffer is not null && _buffer.VectorLength == parameters.Configuration.VectorLength && _buffer.UploadSize == parameters.UploadSize)
            {
                _reuses++;
            }
            else
            {
                _buffer?.Dispose();
                _buffer = new HeUploadBuffer(parameters);
            }
            _lent = true;
            return _buffer;
        }
    }

    /// <summary>Takes the buffer back once the round that was lent it has ended (its client state disposed).</summary>
    public void Return(HeUploadBuffer buffer)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(buffer, _buffer))
            {
                return;
            }
            _lent = false;
            if (_disposed)
            {
                _buffer.Dispose();
                _buffer = null;
            }
        }
    }

    /// <summary>Wipes and drops the buffer (at once, or when the round holding it returns it).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            if (!_lent)
            {
                _buffer?.Dispose();
                _buffer = null;
            }
        }
    }
}
