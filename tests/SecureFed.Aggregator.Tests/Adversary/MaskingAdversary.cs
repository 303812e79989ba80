using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Client;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Client;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Messages;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests.Adversary;

/// <summary>
/// The masking half of the catalogue's live run. Device 0 of five is the attacker: it runs its own client state machine
/// by hand and, in every stage, sends the stage's hostile cases while its own honest message is still pending (so the
/// stage cannot close and the state is still), then that honest message. Devices 1-4 are honest library clients;
/// device 4 goes offline before R2, so R4 reveals both kinds of share. A second round in a two-device side federation
/// (the attacker and a device revoked after the round opened) is the target of wrong-round and revoked-key cases.
/// The case builders read this object: the attacker's pending honest envelope and ways to seal and sign variants.
/// </summary>
public sealed class MaskingAdversary : IDisposable
{
    public const int Clients = 5, Length = 16, Bits = 30, AttackerIndex = 0, DroppedIndex = 4;

    // R2 closes only at its deadline (the dropped device never sends); the others close when all expected arrived.
    private static readonly List<double> Deadlines = [120, 120, 8, 120, 120];

    private readonly AdversaryProbe _probe;
    private readonly TestFederation _federation;
    private readonly IdentityKeyPair _attacker;
    private readonly IdentityKeyPair _stranger = IdentityKeyPair.Generate(SystemRandomSource.Instance);
    private readonly IdentityKeyPair _revoked;
    private ClientState? _state;
    private byte[] _own = [];

    private MaskingAdversary(AdversaryProbe probe, TestFederation federation, string roundId, RoundParameters parameters, string sideRoundId,
        RoundParameters sideParameters, uint sideAttackerId, IdentityKeyPair revoked)
    {
        _probe = probe;
        _federation = federation;
        RoundId = roundId;
        Parameters = parameters;
        SideRoundId = sideRoundId;
        SideParameters = sideParameters;
        SideAttackerId = sideAttackerId;
        _revoked = revoked;
        _attacker = federation.Keys[AttackerIndex].LoadIdentity();
    }

    public string RoundId { get; }

    public RoundParameters Parameters { get; }

    public string SideRoundId { get; }

    public RoundParameters SideParameters { get; }

    public uint SideAttackerId { get; }

    public string MessagesPath => $"/v1/rounds/{RoundId}/messages";

    public string SideMessagesPath => $"/v1/rounds/{SideRoundId}/messages";

    public uint AttackerId => _federation.ClientIds[AttackerIndex];

    public uint DroppedId => _federation.ClientIds[DroppedIndex];

    public uint MemberId(int index) => _federation.ClientIds[index];

    public RawClient Attacker => new(_probe.Http, _attacker);

    public RawClient Stranger => new(_probe.Http, _stranger);

    public RawClient RevokedSideMember => new(_probe.Http, _revoked);

    public RawClient Member(int index) => new(_probe.Http, _federation.Keys[index].LoadIdentity());

    public string MemberKeyHex(int index) => _federation.Keys[index].PublicKey().ToString();

    /// <summary>The attacker's pending honest envelope of the current stage (a fresh decoded copy each time).</summary>
    public ClientEnvelope Own => MessageCodec.Decode<ClientEnvelope>(_own, _own.Length);

    public byte[] OwnBytes => (byte[])_own.Clone();

    /// <summary>The attacker's accepted R0 and R1 requests, unsent copies with the same nonce and signature.</summary>
    public HttpRequestMessage? AcceptedR0 { get; private set; }

    public HttpRequestMessage? AcceptedR1 { get; private set; }

    public T OwnBody<T>()
        where T : class => MessageCodec.Decode<T>(Own.Body, 1 << 24);

    /// <summary>An envelope signed by the attacker's identity for this round (or <paramref name="context"/>'s), naming
    /// <paramref name="sender"/> (default: the attacker).</summary>
    public byte[] Seal(ProtocolStage stage, byte[] body, uint? sender = null, ReadOnlyMemory<byte>? context = null) =>
        MessageCodec.Encode(EnvelopeSigning.Seal(_attacker, (context ?? (stage == ProtocolStage.AdvertiseKeys ? Parameters.ConfigurationHash : SessionId)).Span,
            sender ?? AttackerId, stage, body));

    /// <summary>What envelopes after R0 are signed over (secagg.md): known once the key directory arrived.</summary>
    public ReadOnlyMemory<byte> SessionId { get; private set; }

    public HttpRequestMessage Post(byte[] body) => Attacker.Signed(HttpMethod.Post, MessagesPath, body);

    public HttpRequestMessage Get(string path) => Attacker.Signed(HttpMethod.Get, path, null);

    /// <summary>A key advertisement with fresh X25519 keys (or the given mask key): what an equivocating client sends.</summary>
    public AdvertiseKeys FreshAdvertisement()
    {
        ClientTransition t = SecAggClient.Start(Parameters, AttackerId, _attacker, [new ulong[Length]], SystemRandomSource.Instance);
        return MessageCodec.Decode<AdvertiseKeys>(t.Outgoing!.Body, 1024);
    }

    public static async Task<MaskingAdversary> OpenAsync(AdversaryProbe probe)
    {
        SecureFedAdminClient admin = probe.Admin;
        TestFederation federation = await TestFederation.EnrolAsync(admin, Clients);
        RoundStatus round = await admin.OpenRoundAsync(new OpenRoundRequest
        {
            Federation = federation.Name,
            Vectors = [new VectorRequest { Length = Length, Bits = Bits }],
            Threshold = 3,
            StageDeadlinesSeconds = Deadlines,
        });

        string side = "side-" + Guid.NewGuid().ToString("N")[..8];
        SeedKeyStore revokedKey = SeedKeyStore.For(side, 1);
        IReadOnlyList<uint> sideIds = await admin.EnrolKeysAsync(side, [federation.Keys[AttackerIndex].PublicKey(), revokedKey.PublicKey()]);
        RoundStatus sideRound = await admin.OpenRoundAsync(new OpenRoundRequest
        {
            Federation = side, Vectors = [new VectorRequest { Length = 4, Bits = Bits }], StageDeadlineSeconds = 600,
            // Two members are below the SecAgg+ finder's minimum of 3, so the side round asks for the complete graph and assumes no dropouts (t = 2 of 2).
            Graph = new GraphRequest { Kind = GraphRequest.Complete, DropoutFraction = 0 },
        });
        await admin.RevokeAsync(side, sideIds[1]);

        using var reader = new SecureFedClient(probe.Service.ClientOptions(), federation.Keys[AttackerIndex]);
        RoundParameters Read(RoundInfo info) => RoundParameters.Create(MessageCodec.Decode<RoundConfiguration>(info.Configuration, 1 << 20));
        return new MaskingAdversary(probe, federation, round.RoundId, Read(await reader.GetRoundAsync(round.RoundId)), sideRound.RoundId,
            Read(await reader.GetRoundAsync(sideRound.RoundId)), sideIds[0], revokedKey.LoadIdentity());
    }

    /// <summary>Runs the round with every case at its point; returns the honest devices' runs (the round is over).</summary>
    public async Task<Task<ContributionResult>[]> RunAsync(IReadOnlyList<AdversaryCase<MaskingAdversary>> cases, IDictionary<string, AdversaryOutcome> outcomes)
    {
        ClientTransition start = SecAggClient.Start(Parameters, AttackerId, _attacker, [TestFederation.Input(AttackerIndex, Length, Bits)], SystemRandomSource.Instance);
        _state = start.Next;
        _own = MessageCodec.Encode(start.Outgoing!);
        await _probe.RunAsync(cases, AttackPoint.R0, this, RoundId, SideRoundId, outcomes);
        AcceptedR0 = await _probe.SendOwnAsync(Attacker, MessagesPath, _own);
        await _probe.RunAsync(cases, AttackPoint.R0AfterOwn, this, RoundId, SideRoundId, outcomes);

        Task<ContributionResult>[] honest = AdversaryProbe.RunHonest(_probe.Service.ClientOptions(), _federation.Keys, [1, 2, 3, DroppedIndex],
            (i, client, ct) => client.ContributeAsync(RoundId, TestFederation.Input(i, Length, Bits), ct),
            (i, e) => i == DroppedIndex && e.Step == "received" && e.Stage == (int)ProtocolStage.ShareKeys);
        for (int stage = 1; stage <= 4; stage++)
        {
            byte[] close = await _probe.PollAsync(Attacker, $"{MessagesPath}/{stage - 1}");
            if (stage == 1)
            {
                var directory = (KeyDirectory)MessageCodec.DecodeServerMessage(close, close.Length);
                SessionId = SessionDerivation.SessionId(Parameters.ConfigurationHash.Span, RosterBitmap.TryDecode(Parameters, directory.Advertised)!.Length, directory.Root);
            }
            ClientTransition t = _state.HandleBytes(close);
            _state = t.Next;
            _own = MessageCodec.Encode(t.Outgoing ?? throw new InvalidOperationException($"the attacker's client stopped after close {stage - 1}: {_state.Name}"));
            await _probe.WaitForStageAsync(RoundId, stage, stage == 1 ? 4 : 3);
            await _probe.RunAsync(cases, AttackPoint.R0AfterOwn + stage, this, RoundId, SideRoundId, outcomes);
            HttpRequestMessage accepted = await _probe.SendOwnAsync(Attacker, MessagesPath, _own);
            if (stage == 1)
            {
                AcceptedR1 = accepted;
            }
            else
            {
                accepted.Dispose();
            }
        }
        await _probe.Admin.WaitForRoundAsync(RoundId, TimeSpan.FromMilliseconds(25));
        await _probe.RunAsync(cases, AttackPoint.MaskingCompleted, this, RoundId, SideRoundId, outcomes);
        try
        {
            await Task.WhenAll(honest);
        }
        catch (Exception)
        {
            // The dropped device ends cancelled; callers inspect each run.
        }
        await _probe.Admin.AbortRoundAsync(SideRoundId);
        return honest;
    }

    public void Dispose()
    {
        _attacker.Dispose();
        _stranger.Dispose();
        _revoked.Dispose();
        AcceptedR0?.Dispose();
        AcceptedR1?.Dispose();
    }
}
