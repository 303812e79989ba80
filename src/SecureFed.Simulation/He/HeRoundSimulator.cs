using System.Diagnostics;
using SecureFed.HeProtocol.Client;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Decryptor;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Server;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
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

        // H0: live decryptors advertise.
        var h1 = new Dictionary<uint, DecryptorH1ShareKeysState>();
        foreach (uint id in parameters.DecryptorIds.Where(id => !options.DecryptorsDroppedAtAdvertise.Contains(id)))
        {
            var step = HeDecryptor.Start(parameters, identities(id), id, random).Advertise();
            _result.DecryptorBytesSent += Send(step.Envelope);
            h1[id] = step.Next;
        }
        var inbox = Close();
        // H1: advertisers that stay deal their shares.
        var waiting = new Dictionary<uint, DecryptorAwaitKeySharesState>();
        foreach (var (id, state) in h1)
        {
            if (options.DecryptorsDroppedAtKeyShares.Contains(id) || !inbox.TryGetValue(id, out var list))
            {
                state.Dispose();
                continue;
            }
            var step = state.ShareKeys((AdvertisementList)list.Single());
            _result.DecryptorBytesSent += Send(step.Envelope);
            waiting[id] = step.Next;
            progress?.WriteLine($"  key generation: decryptor {id} dealt its shares");
        }
        inbox = Close();
        var ready = new Dictionary<uint, DecryptorReadyState>();
        try
        {
            foreach (var (id, state) in waiting)
            {
                var delivery = inbox.GetValueOrDefault(id)?.OfType<KeyShareDelivery>().SingleOrDefault();
                if (delivery is null)
                {
                    state.Dispose();
                    continue;
                }
                ready[id] = state.ReceiveKeyShares(delivery);
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
                var step = HeClient.Start(parameters, identities(id), id).Upload(announcement, inputs(id), random);
                encryptMs += Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                t0 = Stopwatch.GetTimestamp();
                long bytes = Send(step.Envelope);
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
                    var step = ready[id].Decrypt(request);
                    ready[id] = step.Next;
                    var envelope = options.DecryptorsSendingBadShares.Contains(id) ? BadShareInjector.Corrupt(parameters, identities(id), step.Envelope) : step.Envelope;
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
            foreach (var state in ready.Values)
            {
                state.Dispose();
            }
        }
        _result.Final = _server;
        return _result;
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
                _result.ServerMessages.Add(new HeSentMessage(outgoing.Message.GetType().Name, [.. outgoing.Recipients], bytes));
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
