using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Client;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Server;

namespace SecureFed.Testing;

/// <summary>
/// Drives a round by hand, one stage at a time, for per-state, tamper and misuse tests. Keys, inputs and the
/// round id are deterministic in <c>seed</c>.
/// </summary>
public sealed class ManualRound : IDisposable
{
    private readonly IdentityKeyPair[] _identities;
    private readonly DeterministicRandomSource _random;

    public ManualRound(int clients, int length = 8, int bits = 32, int? threshold = null, long seed = 1)
    {
        _random = new DeterministicRandomSource(seed);
        _identities = [.. Enumerable.Range(0, clients).Select(_ => IdentityKeyPair.Generate(_random))];
        var roundId = new byte[16];
        _random.Fill(roundId);
        Configuration = new RoundConfiguration
        {
            RoundId = roundId,
            Vectors = [new VectorSpec { Length = length, Bits = bits }],
            Threshold = threshold ?? RoundParameters.MinimumThreshold(clients),
            Roster = [.. Enumerable.Range(1, clients).Select(i => new RosterEntry { ClientId = (uint)i, IdentityKey = _identities[i - 1].PublicKey.Bytes.ToArray() })],
        };
        Parameters = RoundParameters.Create(Configuration);
        Inputs = Enumerable.Range(1, clients).ToDictionary(i => (uint)i, i => Enumerable.Range(0, length).Select(k => (ulong)(i * 1000 + k) & SecureFed.Primitives.Vectors.ModularArithmetic.Mask(bits)).ToArray());
        Server = SecAggServer.Start(Parameters);
    }

    public RoundConfiguration Configuration { get; }

    public RoundParameters Parameters { get; }

    public IReadOnlyDictionary<uint, ulong[]> Inputs { get; }

    public Dictionary<uint, ClientState> Clients { get; } = [];

    public ServerState Server { get; private set; }

    public IReadOnlyList<uint> Ids => Parameters.ClientIds;

    public IdentityKeyPair Identity(uint id) => _identities[id - 1];

    public IRandomSource Random => _random;

    /// <summary>Starts the given clients (all by default) and returns their R0 envelopes.</summary>
    public Dictionary<uint, ClientEnvelope> StartClients(IEnumerable<uint>? ids = null)
    {
        var sent = new Dictionary<uint, ClientEnvelope>();
        foreach (uint id in ids ?? Ids)
        {
            ClientTransition t = SecAggClient.Start(Parameters, id, Identity(id), [Inputs[id].ToArray()], _random);
            Clients[id] = t.Next;
            sent[id] = t.Outgoing!;
        }
        return sent;
    }

    /// <summary>Sends envelopes to the server (through the byte codec); asserts nothing.</summary>
    public List<ServerTransition> SendToServer(IEnumerable<ClientEnvelope> envelopes)
    {
        var results = new List<ServerTransition>();
        foreach (ClientEnvelope e in envelopes)
        {
            ServerTransition t = Server.HandleBytes(MessageCodec.Encode(e));
            Server = t.Next;
            results.Add(t);
        }
        return results;
    }

    /// <summary>Closes the server's stage; returns recipient -> message.</summary>
    public Dictionary<uint, ServerMessage> CloseStage()
    {
        ServerTransition t = Server.CloseStage();
        Server = t.Next;
        var inbox = new Dictionary<uint, ServerMessage>();
        foreach (OutgoingMessage m in t.Outgoing)
        {
            foreach (uint r in m.Recipients)
            {
                inbox[r] = m.Message;
            }
        }
        return inbox;
    }

    /// <summary>Delivers server messages to clients (through the byte codec); returns their replies.</summary>
    public Dictionary<uint, ClientEnvelope> Deliver(Dictionary<uint, ServerMessage> inbox, IEnumerable<uint>? only = null)
    {
        var replies = new Dictionary<uint, ClientEnvelope>();
        foreach (var (id, message) in inbox)
        {
            if (only is not null && !only.Contains(id))
            {
                continue;
            }
            ClientTransition t = Clients[id].HandleBytes(MessageCodec.EncodeServerMessage(message));
            Clients[id] = t.Next;
            if (t.Outgoing is not null)
            {
                replies[id] = t.Outgoing;
            }
        }
        return replies;
    }

    /// <summary>Runs a stage: send, close, deliver; returns the next replies.</summary>
    public Dictionary<uint, ClientEnvelope> Step(Dictionary<uint, ClientEnvelope> replies, IEnumerable<uint>? dropNow = null)
    {
        var drop = new HashSet<uint>(dropNow ?? []);
        SendToServer(replies.Where(kv => !drop.Contains(kv.Key)).Select(kv => kv.Value));
        return Deliver(CloseStage(), replies.Keys.Where(k => !drop.Contains(k)));
    }

    public void Dispose()
    {
        foreach (IdentityKeyPair k in _identities)
        {
            k.Dispose();
        }
        _random.Dispose();
    }
}
