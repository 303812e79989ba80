using System.Collections.Concurrent;
using System.Diagnostics;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Client;
using SecureFed.Protocol.Diagnostics;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Server;

namespace SecureFed.Protocol.Simulation;

/// <summary>
/// Runs one round in process: real client and server state machines, every message encoded to bytes and decoded on
/// the other side, client work in parallel, the server fed one message at a time. Dropped clients simply stop
/// sending; the server closes each stage once every live client has answered (as a deadline would). Memory stays
/// O(clients x key material + in-flight clients x length): each message goes to the server as soon as it is made and
/// is then dropped, and the reference sum the result is checked against is built as the server accepts inputs.
/// </summary>
public sealed class RoundSimulator
{
    private readonly SimulationOptions _options;
    private readonly object _serverLock = new();
    private readonly ConcurrentDictionary<uint, long> _clientBytes = new();
    private readonly ConcurrentDictionary<uint, AbortReason> _clientAborts = new();
    private readonly List<MessageRejection> _rejections = [];
    private readonly List<StageReport> _stages = [];
    private ServerState _server = null!;
    private ReferenceSum _reference = null!;
    private long _serverBytes;
    private long[] _clientTicks = [];

    /// <summary>Prepares a simulation.</summary>
    public RoundSimulator(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>Runs the round to completion or abort.</summary>
    /// <exception cref="InvalidRoundConfigurationException">The options make an invalid configuration.</exception>
    public SimulationReport Run()
    {
        int n = _options.Clients;
        var identities = new IdentityKeyPair[n];
        var clientRandom = new IRandomSource[n];
        // Each client's source is its own, so the keys are the same whichever core makes them (10,000 key pairs are
        // most of a second on one core; setting up is not measured work).
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.MaxParallelism) }, i =>
        {
            clientRandom[i] = _options.Seed is long s ? DeterministicRandomSource.Derive(s, "client", i + 1) : SystemRandomSource.Instance;
            identities[i] = IdentityKeyPair.Generate(clientRandom[i]);
        });
        IRandomSource roundRandom = _options.Seed is long s2 ? new DeterministicRandomSource(s2) : SystemRandomSource.Instance;
        var roundId = new byte[16];
        roundRandom.Fill(roundId);
        var configuration = new RoundConfiguration
        {
            RoundId = roundId,
            Vectors = [.. _options.Vectors],
            Graph = _options.Graph,
            GraphDegree = _options.Graph == GraphKind.Complete ? 0 : _options.GraphDegree,
            Threshold = _options.Threshold ?? RoundParameters.MinimumThreshold(_options.Graph == GraphKind.Complete ? n : _options.GraphDegree + 1),
            Roster = [.. Enumerable.Range(1, n).Select(i => new RosterEntry { ClientId = (uint)i, IdentityKey = identities[i - 1].PublicKey.Bytes.ToArray() })],
        };
        RoundParameters parameters = RoundParameters.Create(configuration);
        var clientLimits = new ClientLimits { MaxDegreeOfParallelism = Math.Max(1, _options.ClientThreads) };
        _server = SecAggServer.Start(parameters);
        _reference = new ReferenceSum(parameters.Vectors, n);
        _clientTicks = new long[n];
        var clients = new ConcurrentDictionary<uint, ClientState>();
        try
        {
            // R0: clients start and advertise.
            RunClientStage("R0 AdvertiseKeys", ProtocolStage.AdvertiseKeys, Enumerable.Range(1, n).Select(i => (uint)i).ToList(), _ => null, (id, _) =>
            {
                ClientTransition t = SecAggClient.Start(parameters, id, identities[id - 1], _reference.Track(id, _options.Inputs), clientRandom[id - 1], clientLimits);
                return t;
            }, clients);
            IReadOnlyList<OutgoingMessage> outgoing = CloseServerStage();
            foreach (var (stage, name) in new[]
                     {
                         (ProtocolStage.ShareKeys, "R1 ShareKeys"), (ProtocolStage.MaskedInputCollection, "R2 MaskedInputCollection"),
                         (ProtocolStage.ConsistencyCheck, "R3 ConsistencyCheck"), (ProtocolStage.Unmasking, "R4 Unmasking"),
                     })
            {
                if (_server.IsTerminal)
                {
                    break;
                }
                DeliverAndCollect(name, stage, outgoing, clients);
                outgoing = CloseServerStage(name == "R4 Unmasking" ? "Server unmasking" : null);
            }
            DeliverToClients(outgoing, clients); // abort notices, if any
        }
        finally
        {
            foreach (IdentityKeyPair k in identities)
            {
                k.Dispose();
            }
            foreach (IDisposable d in clientRandom.OfType<IDisposable>().Append(roundRandom as IDisposable).OfType<IDisposable>())
            {
                d.Dispose();
            }
        }
        return BuildReport(parameters);
    }

    // Hands each recipient its message from the stage's close and runs the recipients. A message is encoded when its
    // first recipient runs and let go after its last, so the stage never holds every client's encoded message at once
    // (10,000 UnmaskingRequests each carrying the alive set are 360 MB); encoding is not client time. With an observer,
    // every message is encoded and observed first, in the server's order, as a transcript needs.
    private void DeliverAndCollect(string name, ProtocolStage stage, IReadOnlyList<OutgoingMessage> outgoing, ConcurrentDictionary<uint, ClientState> clients)
    {
        var inbox = new ServerInbox(outgoing, _options.Observer);
        RunClientStage(name, stage, [.. inbox.Recipients], inbox.Take, (id, bytes) => clients[id].HandleBytes(bytes!), clients);
        long sent = inbox.BytesSent();
        _serverBytes += sent;
        // The server's messages that opened this stage.
        _stages[^1] = _stages[^1] with { ServerBytesSent = sent };
    }

    private void DeliverToClients(IReadOnlyList<OutgoingMessage> outgoing, ConcurrentDictionary<uint, ClientState> clients)
    {
        foreach (OutgoingMessage m in outgoing)
        {
            byte[] bytes = MessageCodec.EncodeServerMessage(m.Message);
            foreach (uint r in m.Recipients.Where(clients.ContainsKey))
            {
                _serverBytes += bytes.Length;
                _options.Observer?.ServerToClient(r, bytes);
                ClientTransition t = clients[r].HandleBytes(bytes);
                clients[r] = t.Next;
            }
        }
    }

    // Runs one stage's client work in parallel; each envelope goes to the server as soon as it is made.
    // `receive` gives a client the bytes it is handed (not timed); `step` is the client's work on them (timed).
    private void RunClientStage(string name, ProtocolStage stage, List<uint> recipients, Func<uint, byte[]?> receive, Func<uint, byte[]?, ClientTransition> step,
        ConcurrentDictionary<uint, ClientState> clients)
    {
        var wall = Stopwatch.StartNew();
        long clientTicks = 0, maxTicks = 0, bytesSent = 0, serverTicks = 0;
        int done = 0;
        var active = recipients.Where(id => !(_options.Dropouts.TryGetValue(id, out ProtocolStage d) && d <= stage)).ToList();
        // Clients that drop at this stage still process what they received (e.g. they may be mid-computation) but never send.
        var po = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.MaxParallelism / Math.Max(1, _options.ClientThreads)) };
        Parallel.ForEach(recipients.Where(id => !(_options.Dropouts.TryGetValue(id, out ProtocolStage d) && d < stage)), po, id =>
        {
            byte[]? received = receive(id);
            long start = Stopwatch.GetTimestamp();
            ClientTransition t = step(id, received);
            received = null;
            long ticks = Stopwatch.GetTimestamp() - start - _reference.TakeInputTicks(id); // making the input and its copy is not client work
            clients[id] = t.Next;
            if (t.Next is ClientAbortedState aborted)
            {
                _clientAborts[id] = aborted.Reason;
            }
            bool drops = _options.Dropouts.TryGetValue(id, out ProtocolStage d) && d == stage;
            bool accepted = false;
            if (t.Outgoing is not null && !drops)
            {
                byte[] bytes = MessageCodec.Encode(t.Outgoing);
                _clientBytes.AddOrUpdate(id, bytes.Length, (_, b) => b + bytes.Length);
                Interlocked.Add(ref bytesSent, bytes.Length);
                lock (_serverLock)
                {
                    _options.Observer?.ClientToServer(id, bytes);
                    long s = Stopwatch.GetTimestamp();
                    ServerTransition st = _server.HandleBytes(bytes);
                    serverTicks += Stopwatch.GetTimestamp() - s;
                    if (st.Rejection is not null)
                    {
                        _rejections.Add(st.Rejection);
                    }
                    accepted = st.Rejection is null;
                }
            }
            if (stage == ProtocolStage.MaskedInputCollection)
            {
                // The client masked its input in this step and wiped and dropped it (whatever the outcome): the arrays
                // are free for the caller to reuse (and are let go here when it does not).
                if (_reference.TakeHandedOut(id) is { } input)
                {
                    _options.InputReleased?.Invoke(id, input);
                }
                if (accepted)
                {
                    _reference.Accept(id);
                }
                else
                {
                    _reference.Discard(id);
                }
            }
            Interlocked.Add(ref clientTicks, ticks);
            Interlocked.Add(ref _clientTicks[id - 1], ticks);
            long seen;
            do
            {
                seen = Interlocked.Read(ref maxTicks);
            }
            while (ticks > seen && Interlocked.CompareExchange(ref maxTicks, ticks, seen) != seen);
            int k = Interlocked.Increment(ref done);
            if (k % Math.Max(10, recipients.Count / 10) == 0 || k == recipients.Count)
            {
                _options.Progress?.Report($"{name}: {k}/{recipients.Count} clients");
            }
        });
        _stages.Add(new StageReport(name, active.Count, Ms(clientTicks), Ms(maxTicks), Ms(serverTicks), wall.Elapsed.TotalMilliseconds, bytesSent, 0));
    }

    private IReadOnlyList<OutgoingMessage> CloseServerStage(string? reportAs = null)
    {
        var wall = Stopwatch.StartNew();
        ServerTransition t = _server.CloseStage();
        _server = t.Next;
        if (reportAs is not null)
        {
            _options.Progress?.Report($"{reportAs}: done");
            _stages.Add(new StageReport(reportAs, 0, 0, 0, wall.Elapsed.TotalMilliseconds, wall.Elapsed.TotalMilliseconds, 0, 0));
        }
        else if (_stages.Count > 0)
        {
            StageReport last = _stages[^1];
            _stages[^1] = last with { ServerMilliseconds = last.ServerMilliseconds + wall.Elapsed.TotalMilliseconds };
        }
        return t.Outgoing;
    }

    private SimulationReport BuildReport(RoundParameters parameters)
    {
        AggregationResult? result = (_server as ServerCompletedState)?.Result;
        bool matches = result is not null && _reference.Matches(result.Survivors, result.Sums);
        var aborted = _server as ServerAbortedState;
        return new SimulationReport
        {
            Configuration = parameters.Configuration,
            Clients = _options.Clients,
            Threshold = parameters.Threshold,
            Result = result,
            AbortReason = aborted?.Reason,
            AbortDetail = aborted?.Detail,
            SumMatches = matches,
            Stages = _stages,
            ClientMilliseconds = [.. _clientTicks.Select(Ms)],
            BytesSentPerClient = Enumerable.Range(1, _options.Clients).ToDictionary(i => (uint)i, i => _clientBytes.GetValueOrDefault((uint)i)),
            ServerBytesSent = _serverBytes,
            Rejections = _rejections,
            ClientAborts = _clientAborts,
            PeakResidentBytes = PeakResidentMemory.Read(),
        };
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
