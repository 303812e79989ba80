using System.Security.Cryptography;

namespace SecureFed.Primitives.Prg;

// Feeds a hash the chunks of a buffer that several threads write in any order, in buffer order, as soon as each prefix
// is complete: the thread that completes a chunk appends every complete chunk from the hash's position on, unless the
// other thread is already appending. So a masked input's SHA-256 is computed during the walk, spread over the threads
// that write it, instead of in one pass on one core after it. Finish appends whatever is left (at most the chunks
// completed while another thread held the hash).
internal sealed unsafe class OrderedChunkDigest
{
    private readonly IncrementalHash _digest;
    private readonly byte* _start;
    private readonly int _chunkBytes;
    private readonly int _totalBytes;
    private readonly int[] _done;
    private readonly Lock _gate = new();
    private int _appended;

    // `start` must stay pinned until Finish returns; chunk c is bytes [c * chunkBytes, min((c + 1) * chunkBytes, total)).
    public OrderedChunkDigest(IncrementalHash digest, byte* start, int chunkBytes, int totalBytes)
    {
        _digest = digest;
        _start = start;
        _chunkBytes = chunkBytes;
        _totalBytes = totalBytes;
        _done = new int[(totalBytes + chunkBytes - 1) / chunkBytes];
    }

    // Chunk `chunk` is written. Thread-safe; never blocks on the other thread.
    public void Completed(int chunk)
    {
        Volatile.Write(ref _done[chunk], 1);
        while (_gate.TryEnter())
        {
            try
            {
                AppendReady();
            }
            finally
            {
                _gate.Exit();
            }
            // A chunk completed while this thread held the gate was left by its writer: take it now rather than at Finish.
            int next = Volatile.Read(ref _appended);
            if (next >= _done.Length || Volatile.Read(ref _done[next]) == 0)
            {
                return;
            }
        }
    }

    // After every chunk is written (the writers have joined): appends the rest.
    public void Finish()
    {
        lock (_gate)
        {
            AppendReady();
            if (_appended != _done.Length)
            {
                throw new InvalidOperationException($"only {_appended} of {_done.Length} chunks were written");
            }
        }
    }

    private void AppendReady()
    {
        int next = _appended;
        while (next < _done.Length && Volatile.Read(ref _done[next]) != 0)
        {
            int offset = next * _chunkBytes;
            _digest.AppendData(new ReadOnlySpan<byte>(_start + offset, Math.Min(_chunkBytes, _totalBytes - offset)));
            next++;
            Volatile.Write(ref _appended, next);
        }
    }
}
