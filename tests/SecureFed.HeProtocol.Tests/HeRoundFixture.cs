using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Server;
using SecureFed.HeProtocol.Simulation;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;

namespace SecureFed.HeProtocol.Tests;

/// <summary>A small deterministic round: N = 4096, 32-bit values, clients 1..n, decryptors the first d clients.</summary>
internal sealed class HeRoundFixture : IDisposable
{
    private readonly IdentityKeyPair[] _identities;

    public HeRoundFixture(int clients = 4, int decryptors = 3, int threshold = 2, int length = 8, long seed = 1, int minimumClients = 2, byte roundTag = 7)
    {
        Random = new DeterministicRandomSource(seed);
        _identities = [.. Enumerable.Range(1, clients).Select(i => IdentityKeyPair.FromSeed(Enumerable.Repeat((byte)i, 32).ToArray()))];
        Configuration = new HeRoundConfiguration
        {
            RoundId = [.. Enumerable.Range(0, 16).Select(i => (byte)(i + roundTag))],
            Roster = [.. Enumerable.Range(1, clients).Select(i => new RosterEntry { ClientId = (uint)i, IdentityKey = _identities[i - 1].PublicKey.Bytes.ToArray() })],
            Decryptors = [.. Enumerable.Range(1, decryptors).Select(i => (uint)i)],
            Threshold = threshold,
            VectorLength = length,
            Bits = 32,
            InputRange = 1000,
            // Pinned (not the automatic layout): the round vector he-round-small.json encodes these fields.
            Lanes = 1,
            Bodies = 1,
            MinimumClients = minimumClients,
        };
        Parameters = HeRoundParameters.Create(Configuration);
        Inputs = Parameters.ClientIds.ToDictionary(id => id, id => Enumerable.Range(0, length).Select(i => (ulong)((id * 100 + i) % 1000)).ToArray());
    }

    public HeRoundConfiguration Configuration { get; }

    public HeRoundParameters Parameters { get; }

    public DeterministicRandomSource Random { get; }

    public Dictionary<uint, ulong[]> Inputs { get; }

    public IdentityKeyPair Identity(uint id) => _identities[id - 1];

    public ulong[] ExpectedSum(IEnumerable<uint> contributors)
    {
        var sum = new ulong[Configuration.VectorLength];
        foreach (uint id in contributors)
        {
            for (int i = 0; i < sum.Length; i++)
            {
                sum[i] = (sum[i] + Inputs[id][i]) & 0xFFFF_FFFF;
            }
        }
        return sum;
    }

    public HeSimulationResult Simulate(HeSimulationOptions? options = null) =>
        new HeRoundSimulator(Parameters, Identity, Random).Run(id => Inputs[id], options ?? new HeSimulationOptions());

    public static byte[] Bytes(HeEnvelope envelope) => MessageCodec.Encode(envelope);

    /// <summary>Decodes what the server sent <paramref name="id"/> in a transition (as a recipient would).</summary>
    public static T Received<T>(HeServerTransition transition, uint id)
        where T : HeServerMessage =>
        (T)MessageCodec.Decode<HeServerMessage>(MessageCodec.Encode(transition.Outgoing.First(o => o.Recipients.Contains(id) && o.Message is T).Message), int.MaxValue);

    public void Dispose()
    {
        foreach (var identity in _identities)
        {
            identity.Dispose();
        }
        Random.Dispose();
    }
}
