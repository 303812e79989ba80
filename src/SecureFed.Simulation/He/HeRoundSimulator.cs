using System.Diagnostics;
using SecureFed.HeProtocol.Client;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Decryptor;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Server;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;

namespace SecureFed.HeProtocol.Simulation;

/// <summary>
/// Runs one HE round in process through the real state machines: every envelope and server message is
/// serialized, counted and deserialized by its recipient; the host closes each stage once every live party has
/// sent (the in-process stand-in for a deadline).
/// </summary>
public sealed class HeRoundSimulator(HeRoundParameters parameters, Func<uint, IdentityKeyPair> identities, IRandomSource random, TextWriter? progress = null)
{
    private HeSimulationResult _result = null!;
    private HeServerState _server = null!;
    private bool _keepLog;

    /// <summary>Runs the round; <paramref name="inputs"/> gives each uploading client's quantized values.</summary>
    /// <exception cref="InvalidOperationException">The server refused an honest party's message (a bug).</exception>
    public HeSimulationResult Run(Func<uint, ulong[]> inputs, HeSimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(options);
        _keepLog = options.KeepServerLog;
        _server = HeServer.Start(parameters);
        _result = new HeSimulationResult(_server);
        var sw = Stopwatch.StartNew();

        // H0: live decryptors advertise; each decryptor's state then moves on with every message it receives.
        var decryptors = new Dictionary<uint, HePartyState>();
        try
        {
            foreach (uint id in parameters.DecryptorIds.Where(id => !options.DecryptorsDroppedAtAdvertise.Contains(id)))
            {
                var step = HeDecryptor.Start(parameters, identities(id), id, random).Advertise();
                _result.DecryptorBytesSent += Send(step.Outgoing!);
                decryptors[id] = step.Next;
            }
            var inbox = Close();
            // H1: advertisers that stay deal their shares.
            foreach (var (id, state) in decryptors.ToArray())
            {
                if (options.DecryptorsDroppedAtKeyShares.Contains(id) || !inbox.TryGetValue(id, out var list))
                {
                    Drop(decryptors, id);
                    continue;
                }
                var step = Step(state, list.Single());
                _result.DecryptorBytesSent += Send(step.Outgoing!);
                decryptors[id] = step.Next;
                progress?.WriteLine($"  key generation: decryptor {id} dealt its shares");
            }
            inbox = Close();
            foreach (var (id, state) in decryptors.ToArray())
            {
                var delivery = inbox.GetValueOrDefault(id)?.OfType<KeyShareDelivery>().SingleOrDefault();
                if (delivery is null)
                {
                    Drop(decryptors, id);
                    continue;
                }
                decryptors[id] = Step(state, delivery).Next;
            }
            _result.Timings["keygen"] = sw.Elapsed.TotalMilliseconds;

            // H2: clients verify the key and upload.
            double encryptMs = 0;
            _result.Timings["encrypt_total"] = 0;
            _result.Timings["aggregate"] = 0;
            foreach (uint id in parameters.ClientIds.Where(id => !options.DroppedClients.Contains(id)))
            {
                var announcement = inbox.GetValueOrDefault(id)?.OfType<CollectiveKeyAnnouncement>().SingleOrDefault();
                if (announcement is null)
                {
                    continue; // the round aborted
                }
                long t0 = Stopwatch.GetTimestamp();
                var step = Step(HeClient.Start(parameters, identities(id), id, inputs(id), random), announcement);
                encryptMs += Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                t0 = Stopwatch.GetTimestamp();
                long bytes = Send(step.Outgoing!);
                _result.Timings["aggregate"] += Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                _result.ClientBytesSent[id] = bytes;
                _result.UploadBytes = parameters.UploadSize;
                progress?.WriteLine($"  client {id} uploaded");
            }
            _result.Timings["encrypt_total"] = encryptMs;
            inbox = Close();

            // H3: attempts until the server completes or aborts.
            while (_server is HeServerH3DecryptionState h3)
            {
                _result.Attempts = h3.Attempt;
                sw.Restart();
                foreach (uint id in h3.Expected.Order().ToArray())
                {
                    var request = inbox.GetValueOrDefault(id)?.OfType<DecryptionRequestMessage>().SingleOrDefault();
                    if (request is null || options.DecryptorsDroppedAtDecrypt.Contains(id))
                    {
                        continue;
                    }
                    var step = Step(decryptors[id], request);
                    decryptors[id] = step.Next;
                    var envelope = options.DecryptorsSendingBadShares.Contains(id) ? BadShareInjector.Corrupt(parameters, identities(id), step.Outgoing!) : step.Outgoing!;
                    _result.DecryptorBytesSent += Send(envelope);
                    progress?.WriteLine($"  attempt {h3.Attempt}: decryption share from decryptor {id}");
                }
                _result.Timings["decryption_shares"] = _result.Timings.GetValueOrDefault("decryption_shares") + sw.Elapsed.TotalMilliseconds;
                sw.Restart();
                inbox = Close();
                _result.Timings["combine"] = sw.Elapsed.TotalMilliseconds;
            }
        }
        finally
        {
            foreach (var state in decryptors.Values)
            {
                state.Dispose();
            }
        }
        _result.Final = _server;
        return _result;
    }

    // An honest party's step; an honest party never aborts on the honest server's messages.
    private static HePartyTransition Step(HePartyState state, HeServerMessage message)
    {
        var step = state.Handle(message);
        return step.Next is HePartyAbortedState aborted
            ? throw new InvalidOperationException($"party {aborted.ClientId} aborted: {aborted.Detail}")
            : step;
    }

    private static void Drop(Dictionary<uint, HePartyState> decryptors, uint id)
    {
        decryptors[id].Dispose();
        decryptors.Remove(id);
    }

    // Serializes an envelope, hands the bytes to the server, and returns their length.
    private long Send(HeEnvelope envelope)
    {
        byte[] bytes = MessageCodec.Encode(envelope);
        var transition = _server.HandleBytes(bytes);
        if (transition.Rejection is { } rejection)
        {
            throw new InvalidOperationException($"the server refused an honest message from {envelope.SenderId}: {rejection}");
        }
        if (_keepLog)
        {
            _result.ServerLog.Add(HeServerLogEntry.Message(bytes));
        }
        return bytes.Length;
    }

    // Closes the stage; serializes every outgoing message and returns what each party decoded.
    private Dictionary<uint, List<HeServerMessage>> Close()
    {
        var transition = _server.CloseStage();
        if (_keepLog)
        {
            _result.ServerLog.Add(HeServerLogEntry.Close);
        }
        _server = transition.Next;
        var inbox = new Dictionary<uint, List<HeServerMessage>>();
        foreach (var outgoing in transition.Outgoing)
        {
            byte[] bytes = MessageCodec.Encode(outgoing.Message);
            _result.ServerBytesSent += bytes.LongLength * outgoing.Recipients.Count;
            if (_keepLog)
            {
                _result.ServerMessages.Add(new SentMessage([.. outgoing.Recipients], bytes));
            }
            // One decode stands for every recipient's (they all receive the same bytes).
            var decoded = MessageCodec.Decode<HeServerMessage>(bytes, int.MaxValue);
            foreach (uint id in outgoing.Recipients)
            {
                if (!inbox.TryGetValue(id, out var list))
                {
                    inbox[id] = list = [];
                }
                list.Add(decoded);
            }
        }
        return inbox;
    }
}
