using SecureFed.Audit.Verification;
using SecureFed.Transcripts;
using SecureFed.Protocol.Messages;

namespace SecureFed.Audit.Tests;

// protocol.key-directory on a SecAgg+ round, where each device gets its neighbours' advertisements and a proof: the
// honest transcript passes; re-signed transcripts whose directories lie each fail it.
public class DirectoryCheckTests
{
    private static SampleRound R => SampleRound.Harary;

    private static AuditCheck CheckWith(Func<KeyDirectory, KeyDirectory> change)
    {
        var messages = R.Messages.ToList();
        int i = messages.FindIndex(m => m.Kind == TranscriptRecordKind.ServerToClient && MessageCodec.DecodeServerMessage(m.Bytes, int.MaxValue) is KeyDirectory);
        Assert.True(i >= 0);
        messages[i] = messages[i] with { Bytes = MessageCodec.EncodeServerMessage(change((KeyDirectory)MessageCodec.DecodeServerMessage(messages[i].Bytes, int.MaxValue))) };
        AuditVerification v = TranscriptVerifier.Verify(R.Write(messages, R.Result(), null), null, SampleRound.AggregatorPublicKey);
        return v.Checks.Single(c => c.Id == "protocol.key-directory");
    }

    [Fact]
    public void The_honest_directories_are_each_the_neighbours_entries_with_a_proof()
    {
        AuditVerification v = TranscriptVerifier.Verify(R.Transcript, null, SampleRound.AggregatorPublicKey);
        AuditCheck check = v.Checks.Single(c => c.Id == "protocol.key-directory");
        Assert.Equal(AuditCheckStatus.Passed, check.Status);
        var first = (KeyDirectory)MessageCodec.DecodeServerMessage(R.Messages.First(m => m.Kind == TranscriptRecordKind.ServerToClient).Bytes, int.MaxValue);
        Assert.Equal(5, first.Entries.Length); // k = 4 neighbours and the recipient, not every advertisement
        Assert.NotEmpty(first.Proof);
    }

    [Fact]
    public void A_directory_missing_a_neighbour_or_with_a_spoiled_proof_or_root_is_caught()
    {
        Assert.Equal(AuditCheckStatus.Failed, CheckWith(d => new KeyDirectory { Advertised = d.Advertised, Root = d.Root, Entries = d.Entries[1..], Proof = d.Proof }).Status);
        Assert.Equal(AuditCheckStatus.Failed, CheckWith(d =>
        {
            byte[] proof = [.. d.Proof];
            proof[5] ^= 1;
            return new KeyDirectory { Advertised = d.Advertised, Root = d.Root, Entries = d.Entries, Proof = proof };
        }).Status);
        Assert.Equal(AuditCheckStatus.Failed, CheckWith(d => new KeyDirectory { Advertised = d.Advertised, Root = new byte[32], Entries = d.Entries, Proof = d.Proof }).Status);
    }
}
