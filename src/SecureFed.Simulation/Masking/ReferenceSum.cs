using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using SecureFed.Primitives.Vectors;
using SecureFed.Protocol.Configuration;

namespace SecureFed.Protocol.Simulation;

/// <summary>
/// The plain sum of the inputs whose masked form the server accepted, built while the round runs: a client's input is
/// copied when the client asks for it, added once the server accepts that client's masked input (or dropped if it
/// never does), so checking the result neither regenerates every input afterwards nor holds more than the inputs of
/// the clients in flight.
/// </summary>
internal sealed class ReferenceSum
{
    private readonly IReadOnlyList<VectorSpec> _specs;
    private readonly ulong[][] _sums;
    private readonly HashSet<uint> _included = [];
    private readonly ConcurrentDictionary<uint, ulong[][]> _pending = new();
    private readonly ConcurrentDictionary<uint, ulong[][]> _handedOut = new();
    private readonly long[] _inputTicks;

    public ReferenceSum(IReadOnlyList<VectorSpec> specs, int clients)
    {
        _specs = specs;
        _sums = [.. specs.Select(v => new ulong[v.Length])];
        _inputTicks = new long[clients];
    }

    /// <summary>Wraps a client's input source so that the input it hands the client is also kept for the sum.</summary>
    public Func<ulong[][]> Track(uint clientId, Func<uint, ulong[][]> inputs) => () =>
    {
        long start = Stopwatch.GetTimestamp();
        ulong[][] input = inputs(clientId);
        var copy = new ulong[input.Length][];
        for (int j = 0; j < input.Length; j++)
        {
            copy[j] = ArrayPool<ulong>.Shared.Rent(input[j].Length);
            input[j].CopyTo(copy[j], 0);
        }
        Release(_pending.GetOrAdd(clientId, copy) == copy ? null : copy);
        _handedOut[clientId] = input;
        _inputTicks[clientId - 1] += Stopwatch.GetTimestamp() - start;
        return input;
    };

    /// <summary>
    /// Time spent making <paramref name="clientId"/>'s input (the app's data, here generated test data) and copying it
    /// since the last call: not the client's protocol work.
    /// </summary>
    public long TakeInputTicks(uint clientId) => Interlocked.Exchange(ref _inputTicks[clientId - 1], 0);

    /// <summary>The input arrays handed to the client, if it asked for them (once): the caller gives them back.</summary>
    public ulong[][]? TakeHandedOut(uint clientId) => _handedOut.TryRemove(clientId, out ulong[][]? input) ? input : null;

    /// <summary>The server accepted the client's masked input: its input joins the sum.</summary>
    public void Accept(uint clientId)
    {
        if (!_pending.TryRemove(clientId, out ulong[][]? input))
        {
            return;
        }
        lock (_sums)
        {
            for (int j = 0; j < _sums.Length; j++)
            {
                ModularArithmetic.AddInPlace(_sums[j], input[j].AsSpan(0, _specs[j].Length), _specs[j].Bits);
            }
            _included.Add(clientId);
        }
        Release(input);
    }

    /// <summary>The client's input will never reach the sum (it dropped, aborted or was refused).</summary>
    public void Discard(uint clientId)
    {
        if (_pending.TryRemove(clientId, out ulong[][]? input))
        {
            Release(input);
        }
    }

    /// <summary>True when exactly the <paramref name="survivors"/> were added and <paramref name="sums"/> equal their sum.</summary>
    public bool Matches(IReadOnlyList<uint> survivors, IReadOnlyList<ulong[]> sums)
    {
        lock (_sums)
        {
            if (!_included.SetEquals(survivors) || sums.Count != _sums.Length)
            {
                return false;
            }
            for (int j = 0; j < _sums.Length; j++)
            {
                if (!_sums[j].AsSpan().SequenceEqual(sums[j]))
                {
                    return false;
                }
            }
            return true;
        }
    }

    private static void Release(ulong[][]? input)
    {
        foreach (ulong[] v in input ?? [])
        {
            ArrayPool<ulong>.Shared.Return(v);
        }
    }
}
