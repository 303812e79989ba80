using System.Collections.Concurrent;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Simulation;

namespace SecureFed.Protocol.Tests;

// A simulation hands each client's input arrays back once the client has masked and wiped them, so benchmarks reuse
// them instead of allocating one per client; reusing them must not change the round.
public class InputReleaseTests
{
    private const int Length = 257;

    [Fact]
    public void Each_masking_client_gives_back_the_arrays_it_was_handed_wiped()
    {
        var handed = new ConcurrentDictionary<uint, ulong[]>();
        var released = new ConcurrentDictionary<uint, ulong[]>();
        var zeroAtRelease = new ConcurrentDictionary<uint, bool>();
        SimulationReport report = new RoundSimulator(new SimulationOptions
        {
            Clients = 9,
            Vectors = [new VectorSpec { Length = Length, Bits = 32 }],
            Seed = 3,
            // 8 drops after masking (it still masks); 9 never sends its shares (R1), so it never masks or asks for its input.
            Dropouts = new Dictionary<uint, ProtocolStage> { [8] = ProtocolStage.MaskedInputCollection, [9] = ProtocolStage.ShareKeys },
            Inputs = id => [handed.GetOrAdd(id, _ => [.. Enumerable.Range(0, Length).Select(i => (ulong)(i * 7 + id))])],
            InputReleased = (id, input) =>
            {
                Assert.True(released.TryAdd(id, Assert.Single(input)), $"client {id} released twice");
                zeroAtRelease[id] = input[0].All(v => v == 0);
            },
        }).Run();
        Assert.True(report.SumMatches);
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (uint)i), released.Keys.Order());
        Assert.All(released, kv => Assert.Same(handed[kv.Key], kv.Value));
        Assert.All(zeroAtRelease.Values, Assert.True);
    }

    [Fact]
    public void A_round_that_reuses_released_arrays_sums_exactly()
    {
        var spare = new ConcurrentBag<ulong[]>();
        int allocated = 0;
        SimulationReport report = new RoundSimulator(new SimulationOptions
        {
            Clients = 12,
            Vectors = [new VectorSpec { Length = Length, Bits = 32 }],
            Seed = 4,
            Dropouts = new Dictionary<uint, ProtocolStage> { [5] = ProtocolStage.MaskedInputCollection },
            Inputs = id =>
            {
                if (!spare.TryTake(out ulong[]? x))
                {
                    Interlocked.Increment(ref allocated);
                    x = new ulong[Length];
                }
                for (int i = 0; i < Length; i++)
                {
                    x[i] = (ulong)(i * 31 + id * 1000) & 0xFFFF_FFFF;
                }
                return [x];
            },
            InputReleased = (_, input) => spare.Add(input[0]),
            MaxParallelism = 1, // one client at a time: every client after the first reuses an array
        }).Run();
        Assert.True(report.SumMatches);
        Assert.Equal(1, allocated);
    }
}
