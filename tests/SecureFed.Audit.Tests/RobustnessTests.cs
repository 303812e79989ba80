using FsCheck;
using FsCheck.Fluent;
using SecureFed.Transcripts;
using SecureFed.Audit.Verification;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Simulation;

namespace SecureFed.Audit.Tests;

// A re-signed transcript with arbitrary message bytes must give failed checks, never an exception.
public class RobustnessTests
{
    private static SampleRound R => SampleRound.Complete;

    private static bool FailsCleanly(List<RecordedMessage> messages)
    {
        AuditVerification v = TranscriptVerifier.Verify(R.Write(messages, R.Result(), null));
        return !v.Passed;
    }

    [Fact]
    public void Replacing_a_message_with_junk_fails_cleanly()
    {
        int count = R.Messages.Count;
        Prop.ForAll(Gen.Choose(0, count - 1).ToArbitrary(), Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b)).ToArbitrary(), (i, junk) =>
        {
            var messages = R.Messages.ToList();
            messages[i] = messages[i] with { Bytes = junk };
            return FailsCleanly(messages);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(60));
    }

    [Fact]
    public void Truncating_or_flipping_inside_a_resigned_message_fails_cleanly()
    {
        int count = R.Messages.Count;
        Prop.ForAll(Gen.Choose(0, count - 1).ToArbitrary(), Gen.Choose(0, 1 << 20).ToArbitrary(), Gen.Choose(1, 255).ToArbitrary(), (i, at, x) =>
        {
            var messages = R.Messages.ToList();
            byte[] bytes = (byte[])messages[i].Bytes.Clone();
            int p = at % bytes.Length;
            bytes[p] ^= (byte)x;
            messages[i] = messages[i] with { Bytes = x % 3 == 0 ? bytes[..p] : bytes };
            return FailsCleanly(messages);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(150));
    }

    // Byte 3 of a server message is its version (union [code, [version, ...]]): clients abort on any but 1, so the
    // audit must not pass a round whose server sent another (the property test above found this gap).
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_server_message_of_another_version_fails_stage_order(int code)
    {
        var messages = R.Messages.ToList();
        int i = messages.FindIndex(m => m.Kind == TranscriptRecordKind.ServerToClient && m.Bytes[1] == code);
        ServerMessage message = MessageCodec.DecodeServerMessage(messages[i].Bytes, int.MaxValue);
        message.Version = 2;
        messages[i] = messages[i] with { Bytes = MessageCodec.EncodeServerMessage(message) };
        AuditVerification v = TranscriptVerifier.Verify(R.Write(messages, R.Result(), null));
        AuditCheck order = Assert.Single(v.Checks, c => c.Id == "protocol.stage-order");
        Assert.Equal(AuditCheckStatus.Failed, order.Status);
        Assert.Contains("version 2", order.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Server_messages_with_nil_fields_fail_cleanly()
    {
        foreach (ServerMessage broken in new ServerMessage[]
                 {
                     new KeyDirectory { Entries = null! }, new KeyDirectory { Entries = [null!] }, new ShareDelivery { Shares = [null!] }, new ShareDelivery { Shares = [null!, null!, null!, null!, null!] },
                     new SurvivorSet { Survivors = null! }, new UnmaskingRequest { TagSenders = null!, Tags = null! },
                 })
        {
            var messages = R.Messages.ToList();
            int code = broken switch { KeyDirectory => 0, ShareDelivery => 1, SurvivorSet => 2, _ => 3 };
            int i = messages.FindIndex(m => m.Kind == TranscriptRecordKind.ServerToClient &&
                MessageCodec.EncodeServerMessage(MessageCodec.DecodeServerMessage(m.Bytes, int.MaxValue))[1] == code);
            messages[i] = messages[i] with { Bytes = MessageCodec.EncodeServerMessage(broken) };
            Assert.True(FailsCleanly(messages), broken.GetType().Name);
        }
    }
}
