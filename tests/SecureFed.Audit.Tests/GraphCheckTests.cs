using SecureFed.Audit.Transcripts;
using SecureFed.Transcripts;
using SecureFed.Audit.Verification;
using SecureFed.Protocol.Messages;

namespace SecureFed.Audit.Tests;

// protocol.graph on a SecAgg+ (Harary) round: the honest transcript passes and reports k, t and the graph seed; a
// re-signed transcript in which the aggregator hands a client a bundle from a non-neighbour fails it.
public class GraphCheckTests
{
    private static SampleRound R => SampleRound.Harary;

    private static RoundView View()
    {
        IReadOnlyList<TranscriptRecord> records = TranscriptReader.Read(R.Transcript);
        var header = MessageCodec.Decode<TranscriptHeader>(records[0].Payload, int.MaxValue);
        return RoundView.Build(records, header, out _)!;
    }

    [Fact]
    public void An_honest_harary_round_passes_and_reports_k_t_and_the_seed()
    {
        AuditVerification v = TranscriptVerifier.Verify(R.Transcript, null, SampleRound.AggregatorPublicKey);
        AuditCheck graph = v.Checks.Single(c => c.Id == "protocol.graph");
        Assert.Equal(AuditCheckStatus.Passed, graph.Status);
        string seed = Convert.ToHexStringLower(Protocol.Graph.GraphPermutation.Seed(View().SessionId));
        Assert.Contains($"harary, k = 4, t = {R.Report.Configuration.Threshold}, seed {seed}", graph.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_delivery_carrying_a_bundle_from_a_non_neighbour_is_caught()
    {
        RoundView view = View();
        var messages = R.Messages.ToList();
        int i = messages.FindIndex(m => m.Kind == TranscriptRecordKind.ServerToClient && MessageCodec.DecodeServerMessage(m.Bytes, int.MaxValue) is ShareDelivery);
        uint recipient = messages[i].Party;
        uint stranger = view.U1.First(id => id != recipient && !view.Graph!.AreNeighbours(id, recipient));
        var delivery = (ShareDelivery)MessageCodec.DecodeServerMessage(messages[i].Bytes, int.MaxValue);
        delivery.Shares[0] = new EncryptedShareBundle { PeerId = stranger, Ciphertext = delivery.Shares[0].Ciphertext };
        messages[i] = messages[i] with { Bytes = MessageCodec.EncodeServerMessage(delivery) };

        AuditVerification v = TranscriptVerifier.Verify(R.Write(messages, R.Result(), null), null, SampleRound.AggregatorPublicKey);
        Checks.AssertStatus(v, "transcript.signatures", AuditCheckStatus.Passed);
        AuditCheck graph = v.Checks.Single(c => c.Id == "protocol.graph");
        Assert.Equal(AuditCheckStatus.Failed, graph.Status);
        Assert.Contains($"client {recipient} was delivered a bundle from client {stranger}, not its neighbour", graph.Reason, StringComparison.Ordinal);
    }
}
