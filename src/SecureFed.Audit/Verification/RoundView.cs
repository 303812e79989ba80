using SecureFed.Transcripts;
using SecureFed.Primitives.Vectors;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Graph;
using SecureFed.Protocol.Messages;

namespace SecureFed.Audit.Verification;

// The round as re-derived from a transcript's bytes: configuration, session id, every decoded message, and the sets
// U1..U5 computed from the client messages that are well formed and validly signed (never from the server's claims,
// which the protocol checks compare against them).
internal sealed partial class RoundView : TranscriptRoundView
{
    private RoundView(IReadOnlyList<TranscriptRecord> records, TranscriptHeader header, RoundParameters parameters)
        : base(records, header)
    {
        Parameters = parameters;
    }

    public RoundParameters Parameters { get; }

    public override IReadOnlyList<uint> ClientIds => Parameters.ClientIds;

    public override Protocol.Updates.FloatRoundEncoding? Encoding => Parameters.Encoding;

    public override IReadOnlyList<VectorSpec> SummedVectors => Parameters.Vectors;

    public override bool OneValuePerWord => true;

    public override RoundOutcome? Outcome => Result is { } r ? new RoundOutcome(r.Completed, r.Survivors ?? [], r.ClaimedEpsilon) : null;

    public override string SummedNoun => "survivors";

    public override string PartiesNoun => "Clients";

    public override string OutcomeText => Result is not { } r ? "no readable result" : r.Completed
        ? $"completed: {r.Survivors.Length} survivors summed, {r.Dropped.Length} dropped after sharing keys"
        : $"aborted (reason {r.AbortReason}: {r.AbortDetail})";

    public override IReadOnlyList<(string Name, string Html)> SummaryRows
    {
        get
        {
            var c = Parameters.Configuration;
            return
            [
                ("round id", $"<code>{Convert.ToHexStringLower(c.RoundId)}</code>"),
                ("enrolled clients", Parameters.ClientIds.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("Shamir threshold t", c.Threshold.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("neighbour graph", $"{c.Graph}{(c.GraphDegree > 0 ? $" (degree k = {c.GraphDegree})" : "")}"),
                ("vectors", System.Net.WebUtility.HtmlEncode(string.Join(", ", c.Vectors.Select(s => $"{s.Length} elements mod 2^{s.Bits}")))),
                ("session id", $"<code>{(SessionId is null ? "(no key directory)" : Convert.ToHexStringLower(SessionId))}</code>"),
            ];
        }
    }

    public byte[]? SessionId { get; private set; }

    public INeighbourGraph? Graph { get; private set; }

    public List<ClientMessage> ClientMessages { get; } = [];

    public List<ServerRecord> ServerMessages { get; } = [];

    public TranscriptResult? Result { get; private set; }

    /// <summary>The first key directory sent (every one must name the same U1 and root).</summary>
    public KeyDirectory? Directory { get; private set; }

    /// <summary>U1 as the first key directory's bitmap names it, ascending; null when it does not decode.</summary>
    public uint[]? DirectoryMembers { get; private set; }

    public Dictionary<uint, AdvertiseKeys> Advertised { get; } = [];

    public Dictionary<uint, ShareKeys> Shares { get; } = [];

    public Dictionary<uint, ulong[][]> MaskedInputs { get; } = [];

    public Dictionary<uint, byte[]> ConsistencyHashes { get; } = [];

    /// <summary>Each U4 member's signed R3 body, with the consistency tags it addressed to its neighbours.</summary>
    public Dictionary<uint, ConsistencyCheck> ConsistencyChecks { get; } = [];

    public Dictionary<uint, UnmaskingShares> Reveals { get; } = [];

    public SortedSet<uint> U1 { get; } = [];

    public SortedSet<uint> U2 { get; } = [];

    public SortedSet<uint> U3 { get; } = [];

    public SortedSet<uint> U4 { get; } = [];

    public SortedSet<uint> U5 { get; } = [];

    public IEnumerable<ServerRecord> ServerMessagesOf<T>() where T : ServerMessage => ServerMessages.Where(s => s.Message is T);

    // Null (with the reason) when the header or configuration cannot be used.
    public static RoundView? Build(IReadOnlyList<TranscriptRecord> records, TranscriptHeader? header, out string problem)
    {
        if (!TryReadHeader(header, "masking", "this verifier reads version 1, masking", out problem))
        {
            return null;
        }
        RoundParameters parameters;
        try
        {
            var configuration = MessageCodec.Decode<RoundConfiguration>(header.Configuration ?? [], (header.Configuration ?? []).Length);
            parameters = RoundParameters.Create(configuration);
        }
        catch (Exception e) when (e is MalformedMessageException or InvalidRoundConfigurationException)
        {
            problem = $"round configuration: {e.Message}";
            return null;
        }
        if (!parameters.EncodedConfiguration.Span.SequenceEqual(header.Configuration))
        {
            problem = "round configuration is not in canonical MessagePack encoding";
            return null;
        }
        var view = new RoundView(records, header, parameters);
        view.Load();
        return view;
    }

    private void Load()
    {
        for (int i = 0; i < Records.Count; i++)
        {
            TranscriptRecord r = Records[i];
            if (r.Kind == TranscriptRecordKind.ServerToClient)
            {
                ServerMessages.Add(new ServerRecord(i, r, TryDecode<ServerMessage>(r.Payload)));
            }
            else if (r.Kind == TranscriptRecordKind.Result)
            {
                Result = TryDecode<TranscriptResult>(r.Payload);
            }
        }
        SetDirectory();
        // Client messages after the directory is known (stages 1..4 are signed over the session id).
        for (int i = 0; i < Records.Count; i++)
        {
            if (Records[i].Kind == TranscriptRecordKind.ClientToServer)
            {
                ClientMessages.Add(DecodeClient(i, Records[i]));
            }
        }
    }

    // U1 and the root from the first key directory (protocol.key-directory checks that every one agrees); each member's
    // advertisement from the directories' entries (each device gets its neighbours' and its own, so together they hold
    // every member's); the session id from the root, the graph over U1 as the clients build it.
    private void SetDirectory()
    {
        KeyDirectory[] directories = [.. ServerMessagesOf<KeyDirectory>().Select(r => (KeyDirectory)r.Message!)];
        if (directories.Length == 0)
        {
            return;
        }
        Directory = directories[0];
        uint[]? members = RosterBitmap.TryDecode(Parameters, Directory.Advertised ?? []);
        if (members is not { Length: > 0 } || Directory.Root is not { Length: DirectoryTree.HashSize })
        {
            return;
        }
        DirectoryMembers = members;
        SessionId = SessionDerivation.SessionId(Parameters.ConfigurationHash.Span, members.Length, Directory.Root);
        var entries = new Dictionary<uint, ClientEnvelope>();
        foreach (ClientEnvelope? e in directories.SelectMany(d => d.Entries ?? []))
        {
            if (e is { Body: not null, Signature: not null })
            {
                entries.TryAdd(e.SenderId, e);
            }
        }
        foreach (uint id in members)
        {
            if (entries.TryGetValue(id, out ClientEnvelope? e) && EnvelopeSigning.Verify(Parameters, Parameters.ConfigurationHash.Span, e) &&
                TryDecode<AdvertiseKeys>(e.Body) is { } keys && keys.MaskPublicKey is { Length: 32 } && keys.EncryptionPublicKey is { Length: 32 })
            {
                Advertised[id] = keys;
                U1.Add(id);
            }
        }
        Graph = NeighbourGraphs.Create(Parameters, SessionId, members);
    }

    private ClientMessage DecodeClient(int index, TranscriptRecord r)
    {
        ClientEnvelope envelope;
        try
        {
            envelope = MessageCodec.Decode<ClientEnvelope>(r.Payload, r.Payload.Length);
        }
        catch (MalformedMessageException e)
        {
            return new ClientMessage(index, r, null, false, $"not a ClientEnvelope: {e.Message}");
        }
        if (envelope.SenderId != r.Body.Party)
        {
            return new ClientMessage(index, r, envelope, false, $"envelope names sender {envelope.SenderId} but the record says client {r.Body.Party}");
        }
        if (!Parameters.Identities.ContainsKey(envelope.SenderId))
        {
            return new ClientMessage(index, r, envelope, false, $"sender {envelope.SenderId} is not on the roster");
        }
        ReadOnlySpan<byte> context = envelope.Stage == ProtocolStage.AdvertiseKeys ? Parameters.ConfigurationHash.Span : SessionId;
        if (envelope.Stage != ProtocolStage.AdvertiseKeys && SessionId is null)
        {
            return new ClientMessage(index, r, envelope, false, $"a stage {(int)envelope.Stage} message but no key directory to derive the session id");
        }
        if (!EnvelopeSigning.Verify(Parameters, context, envelope))
        {
            return new ClientMessage(index, r, envelope, false, $"signature of client {envelope.SenderId} (stage {(int)envelope.Stage}) does not verify against its enrolled identity key");
        }
        string? problem = Accept(envelope);
        return new ClientMessage(index, r, envelope, true, problem);
    }

    // Decodes the body and adds the sender to its stage's set; returns why the body is unusable, or null.
    private string? Accept(ClientEnvelope e)
    {
        uint id = e.SenderId;
        switch (e.Stage)
        {
            case ProtocolStage.AdvertiseKeys:
                return TryDecode<AdvertiseKeys>(e.Body) is not null ? null : "malformed AdvertiseKeys body";
            case ProtocolStage.ShareKeys:
                if (TryDecode<ShareKeys>(e.Body) is not { } sk || sk.Shares is null || sk.Shares.Any(b => b is null || b.Ciphertext is null) || !U1.Contains(id))
                {
                    return "malformed ShareKeys body, or sender not in U1";
                }
                Shares.TryAdd(id, sk);
                U2.Add(id);
                return null;
            case ProtocolStage.MaskedInputCollection:
                if (TryDecode<MaskedInput>(e.Body) is not { } mi || !U2.Contains(id) || mi.Vectors is null || mi.Vectors.Length != Parameters.Vectors.Count)
                {
                    return "malformed MaskedInput body, or sender not in U2";
                }
                var y = new ulong[mi.Vectors.Length][];
                for (int j = 0; j < y.Length; j++)
                {
                    VectorSpec spec = Parameters.Vectors[j];
                    y[j] = new ulong[spec.Length];
                    if (mi.Vectors[j] is null || !ModularArithmetic.TryDecode(mi.Vectors[j], spec.Bits, y[j]))
                    {
                        return $"masked input vector {j} has the wrong length or an out-of-range element";
                    }
                }
                MaskedInputs.TryAdd(id, y);
                U3.Add(id);
                return null;
            case ProtocolStage.ConsistencyCheck:
                if (TryDecode<ConsistencyCheck>(e.Body) is not { } cc || cc.SurvivorSetHash is null || !U3.Contains(id))
                {
                    return "malformed ConsistencyCheck body, or sender not in U3";
                }
                ConsistencyHashes.TryAdd(id, cc.SurvivorSetHash);
                ConsistencyChecks.TryAdd(id, cc);
                U4.Add(id);
                return null;
            case ProtocolStage.Unmasking:
                if (TryDecode<UnmaskingShares>(e.Body) is not { } us || us.Shares is null || us.Shares.Any(s => s is null || s.Share is null) || !U4.Contains(id))
                {
                    return "malformed UnmaskingShares body, or sender not in U4";
                }
                Reveals.TryAdd(id, us);
                U5.Add(id);
                return null;
            default:
                return $"unknown stage {(int)e.Stage}";
        }
    }
}
