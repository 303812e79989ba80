using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Client;
using SecureFed.HeProtocol.Client;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Decryptor;
using SecureFed.HeProtocol.Messages;
using SecureFed.Lattice.Multiparty;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Messages;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests.Adversary;

/// <summary>
/// The HE half of the catalogue's live run: devices 0-2 are honest decryptors that also upload; device 3, the
/// attacker, only uploads, driving its HE client state machine by hand so its pending upload holds H2 open while the
/// hostile variants are sent. The case builders read this object.
/// </summary>
public sealed class HeAdversary : IDisposable
{
    public const int Clients = 4, Decryptors = 3, Threshold = 2, Length = 8, AttackerIndex = 3;

    private readonly AdversaryProbe _probe;
    private readonly TestFederation _federation;
    private readonly IdentityKeyPair _attacker;
    private byte[] _own = [];

    private HeAdversary(AdversaryProbe probe, TestFederation federation, string roundId, HeRoundParameters parameters)
    {
        _probe = probe;
        _federation = federation;
        RoundId = roundId;
        Parameters = parameters;
        _attacker = federation.Keys[AttackerIndex].LoadIdentity();
    }

    public string RoundId { get; }

    public HeRoundParameters Parameters { get; }

    public string MessagesPath => $"/v1/rounds/{RoundId}/messages";

    public uint AttackerId => _federation.ClientIds[AttackerIndex];

    public uint MemberId(int index) => _federation.ClientIds[index];

    public RawClient Attacker => new(_probe.Http, _attacker);

    /// <summary>The attacker's pending honest upload envelope (a fresh decoded copy each time).</summary>
    public HeEnvelope Own => MessageCodec.Decode<HeEnvelope>(_own, _own.Length);

    public ClientUpload OwnUpload => MessageCodec.Decode<ClientUpload>(Own.Body, 1 << 26);

    /// <summary>An upload body for <paramref name="upload"/> with the commitment and commitment signature the attacker
    /// computes over it itself (so only the ciphertext's own checks can refuse it).</summary>
    public ClientUpload Committed(byte[] upload)
    {
        byte[] commitment = UploadCommitment.Compute(Parameters.LatticeRound, (int)AttackerId, upload, Parameters.Plan.Parameters);
        byte[] signature = _attacker.Sign(HeDerivation.CommitmentSigningInput(Parameters.ConfigurationHash.Span, AttackerId, commitment));
        return new ClientUpload { Upload = upload, Commitment = commitment, CommitmentSignature = signature };
    }

    public byte[] Seal(HeStage stage, byte[] body, uint? sender = null) =>
        MessageCodec.Encode(HeEnvelopeSigning.Seal(Parameters, _attacker, sender ?? AttackerId, stage, body));

    public HttpRequestMessage Post(byte[] body) => Attacker.Signed(HttpMethod.Post, MessagesPath, body);

    public HttpRequestMessage Get(string path) => Attacker.Signed(HttpMethod.Get, path, null);

    /// <summary>A genuine key advertisement body of decryptor 0 (what a non-decryptor would copy).</summary>
    public byte[] DecryptorAdvertisementBody()
    {
        using IdentityKeyPair key = _federation.Keys[0].LoadIdentity();
        var step = HeDecryptor.Start(Parameters, key, MemberId(0), SystemRandomSource.Instance).Advertise();
        step.Next.Dispose();
        return step.Outgoing!.Body;
    }

    public static async Task<HeAdversary> OpenAsync(AdversaryProbe probe)
    {
        TestFederation federation = await TestFederation.EnrolAsync(probe.Admin, Clients);
        RoundStatus round = await HeTestRound.OpenAsync(probe.Admin, federation, Decryptors, Threshold, Length, deadlinesSeconds: [120, 120, 120, 120]);
        using var reader = new SecureFedClient(probe.Service.ClientOptions(), federation.Keys[AttackerIndex]);
        RoundInfo info = await reader.GetRoundAsync(round.RoundId);
        return new HeAdversary(probe, federation, round.RoundId, HeRoundParameters.Create(MessageCodec.Decode<HeRoundConfiguration>(info.Configuration, 1 << 20)));
    }

    /// <summary>Runs the round with every case at its point; returns the honest devices' runs (the round is over).</summary>
    public async Task<Task<ContributionResult>[]> RunAsync(IReadOnlyList<AdversaryCase<HeAdversary>> cases, IDictionary<string, AdversaryOutcome> outcomes)
    {
        using HeClientAwaitKeyState client = HeClient.Start(Parameters, _attacker, AttackerId, HeTestRound.Input(AttackerIndex, Length), SystemRandomSource.Instance);
        await _probe.RunAsync(cases, AttackPoint.H0, this, RoundId, null, outcomes);
        Task<ContributionResult>[] honest = AdversaryProbe.RunHonest(_probe.Service.ClientOptions(), _federation.Keys, [0, 1, 2],
            (i, c, ct) => c.ContributeAsync(RoundId, HeTestRound.Input(i, Length), ct));

        CollectiveKeyAnnouncement? announcement = null;
        for (int close = 0; announcement is null;)
        {
            byte[] bytes = await _probe.PollAsync(Attacker, $"/v1/rounds/{RoundId}/he/closes/{close}");
            HeDelivery delivery = MessageCodec.Decode<HeDelivery>(bytes, bytes.Length);
            announcement = delivery.Messages.Select(m => MessageCodec.Decode<HeServerMessage>(m, m.Length)).OfType<CollectiveKeyAnnouncement>().FirstOrDefault();
            close = delivery.Close + 1;
        }
        _own = MessageCodec.Encode(client.Handle(announcement).Outgoing!);
        await _probe.WaitForStageAsync(RoundId, (int)HeStage.Upload, Decryptors);
        await _probe.RunAsync(cases, AttackPoint.H2, this, RoundId, null, outcomes);
        (await _probe.SendOwnAsync(Attacker, MessagesPath, _own)).Dispose();

        await _probe.Admin.WaitForRoundAsync(RoundId, TimeSpan.FromMilliseconds(25));
        await _probe.RunAsync(cases, AttackPoint.HeCompleted, this, RoundId, null, outcomes);
        try
        {
            await Task.WhenAll(honest);
        }
        catch (Exception)
        {
            // Callers inspect each run.
        }
        return honest;
    }

    public void Dispose() => _attacker.Dispose();
}
