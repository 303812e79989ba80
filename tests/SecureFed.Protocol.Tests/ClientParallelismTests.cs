using System.Security.Cryptography;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Simulation;

namespace SecureFed.Protocol.Tests;

// A client's per-neighbour work and mask expansion may run on several threads; the messages it sends must not
// depend on that (same seed, same bytes on the wire), and the round must still sum exactly.
public class ClientParallelismTests
{
    private sealed class WireDigest : IWireObserver
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public void ClientToServer(uint clientId, ReadOnlySpan<byte> bytes)
        {
            _hash.AppendData(BitConverter.GetBytes(clientId));
            _hash.AppendData(bytes);
        }

        public void ServerToClient(uint clientId, ReadOnlySpan<byte> bytes)
        {
            _hash.AppendData(BitConverter.GetBytes(~clientId));
            _hash.AppendData(bytes);
        }

        public byte[] Finish() => _hash.GetHashAndReset();
    }

    [Fact]
    public void Messages_are_the_same_whatever_the_number_of_client_threads()
    {
        var (oneThread, digestOne) = Run(clientThreads: 1);
        var (twoThreads, digestTwo) = Run(clientThreads: 2);
        Assert.True(oneThread.SumMatches);
        Assert.True(twoThreads.SumMatches);
        Assert.Equal(digestOne, digestTwo);
        Assert.Equal(oneThread.Result!.Sums[0], twoThreads.Result!.Sums[0]);
    }

    private static (SimulationReport, byte[]) Run(int clientThreads)
    {
        var digest = new WireDigest();
        var report = new RoundSimulator(new SimulationOptions
        {
            Clients = 40,
            Vectors = [new VectorSpec { Length = 5_000, Bits = 32 }, new VectorSpec { Length = 77, Bits = 64 }],
            Seed = 11,
            // Clients 38..40 drop after sending shares: the server removes their pairwise masks.
            Dropouts = new Dictionary<uint, ProtocolStage> { [38] = ProtocolStage.MaskedInputCollection, [39] = ProtocolStage.MaskedInputCollection, [40] = ProtocolStage.MaskedInputCollection },
            Inputs = id => [[.. Enumerable.Range(0, 5_000).Select(i => (ulong)(i * id))], [.. Enumerable.Range(0, 77).Select(i => ulong.MaxValue - (ulong)i - id)]],
            ClientThreads = clientThreads,
            MaxParallelism = 1, // one message at a time, so the wire order is the same in both runs
            Observer = digest,
        }).Run();
        return (report, digest.Finish());
    }
}
