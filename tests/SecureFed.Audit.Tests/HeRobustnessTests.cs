using FsCheck;
using FsCheck.Fluent;
using SecureFed.Audit.Keys;
using SecureFed.Transcripts;
using SecureFed.Audit.Verification;
using SecureFed.HeProtocol.Server;

namespace SecureFed.Audit.Tests;

// Bad HE transcripts and bad inputs to the writer give failed checks or typed exceptions, never a crash.
public class HeRobustnessTests
{
    private static HeSampleRound S => HeSampleRound.Default;

    private static readonly int[] WireMessages = [.. S.Messages.Select((m, i) => (m, i)).Where(x => x.m.Kind != TranscriptRecordKind.StageClosed).Select(x => x.i)];

    [Fact]
    public void Replacing_a_resigned_message_with_junk_fails_cleanly()
    {
        Prop.ForAll(Gen.Elements(WireMessages).ToArbitrary(), Gen.NonEmptyListOf(Gen.Choose(0, 255).Select(b => (byte)b)).ToArbitrary(), (i, junk) =>
        {
            var messages = S.Messages.ToList();
            messages[i] = messages[i] with { Bytes = [.. junk] };
            return !TranscriptVerifier.Verify(S.Write(messages, S.Published)).Passed;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(25));
    }

    [Fact]
    public void Flipping_a_byte_inside_a_resigned_message_fails_cleanly()
    {
        Prop.ForAll(Gen.Elements(WireMessages).ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), Gen.Choose(1, 255).ToArbitrary(), (i, at, x) =>
        {
            var messages = S.Messages.ToList();
            byte[] bytes = (byte[])messages[i].Bytes.Clone();
            bytes[at % bytes.Length] ^= (byte)x;
            messages[i] = messages[i] with { Bytes = bytes };
            // Client envelopes are signed by their senders and server messages are re-derived by the replay: no flip survives.
            return !TranscriptVerifier.Verify(S.Write(messages, S.Published)).Passed;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(25));
    }

    [Fact]
    public void The_writer_refuses_records_that_do_not_belong_in_an_he_transcript()
    {
        using var aggregator = HeSampleRound.AggregatorKey();
        RecordedMessage[][] bad =
        [
            [new RecordedMessage(TranscriptRecordKind.StageClosed, 0, 0, [1])],
            [new RecordedMessage(TranscriptRecordKind.StageClosed, 3, 0, [])],
            [new RecordedMessage(TranscriptRecordKind.Result, 0, 0, [1])],
            [new RecordedMessage(TranscriptRecordKind.ClientToServer, 1, 0, [])],
        ];
        foreach (RecordedMessage[] messages in bad)
        {
            var e = Assert.Throws<ArgumentException>(() => TranscriptWriter.Write(new MemoryStream(), S.Configuration, messages, S.Published, aggregator));
            Assert.Equal("messages", e.ParamName);
        }
    }

    [Fact]
    public void A_result_of_a_running_server_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => HeTranscriptResult.From(HeServer.Start(S.Parameters), 0));
        Assert.Equal("final", e.ParamName);
    }

    [Fact]
    public void A_bad_sum_length_is_a_format_error()
    {
        Assert.Throws<TranscriptFormatException>(() => new HeTranscriptResult { Sum = new byte[9] }.DecodeSum());
    }

    [Fact]
    public void The_key_file_round_trips_and_bad_files_are_named()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"securefed-he-keys-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "keys.json");
            using (HeAuditKeyFile keys = S.Keys())
            {
                keys.Save(path);
            }
            Assert.True(HeAuditKeyFile.Declares(path));
            using (HeAuditKeyFile loaded = HeAuditKeyFile.Load(path))
            {
                Assert.Equal(S.Parameters.ConfigurationHash.ToArray(), loaded.ConfigurationHash);
                Assert.Equal(S.Inputs[3], loaded.Inputs[3]);
            }
            File.WriteAllText(path, File.ReadAllText(path).Replace("\"configurationHash\": \"", "\"configurationHash\": \"zz", StringComparison.Ordinal));
            Assert.Contains("configurationHash", Assert.Throws<TranscriptFormatException>(() => HeAuditKeyFile.Load(path)).Message, StringComparison.Ordinal);
            File.WriteAllText(path, "{\"format\": \"securefed-audit-keys/v1\"}");
            Assert.False(HeAuditKeyFile.Declares(path));
            Assert.Throws<TranscriptFormatException>(() => HeAuditKeyFile.Load(path));
            File.WriteAllText(path, "not json");
            Assert.Throws<TranscriptFormatException>(() => HeAuditKeyFile.Declares(path));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void An_he_key_file_for_a_masking_transcript_fails_keys_round()
    {
        using HeAuditKeyFile keys = S.Keys();
        AuditVerification v = TranscriptVerifier.Verify(SampleRound.Complete.Transcript, null, null, keys);
        Checks.AssertStatus(v, "keys.round", AuditCheckStatus.Failed);
    }

    [Fact]
    public void An_he_header_with_a_broken_configuration_fails_he_configuration()
    {
        using var aggregator = HeSampleRound.AggregatorKey();
        var configuration = Protocol.Messages.MessageCodec.Decode<HeProtocol.Configuration.HeRoundConfiguration>(S.Parameters.EncodedConfiguration, int.MaxValue);
        configuration.Threshold = 9; // more than the 3 decryptors
        using var stream = new MemoryStream();
        TranscriptWriter.Write(stream, configuration, S.Messages, S.Published, aggregator, HeSampleRound.CreatedUtc);
        AuditVerification v = TranscriptVerifier.Verify(stream.ToArray());
        AuditCheck c = Checks.Get(v, "he.configuration");
        Assert.Equal(AuditCheckStatus.Failed, c.Status);
        Assert.Contains("Threshold", c.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stage_close_record_in_a_masking_transcript_breaks_the_chain_check()
    {
        SampleRound r = SampleRound.Complete;
        var messages = r.Messages.ToList();
        messages.Insert(3, new RecordedMessage(TranscriptRecordKind.StageClosed, 0, 0, []));
        AuditCheck c = Checks.Get(TranscriptVerifier.Verify(r.Write(messages, r.Result(), null)), "transcript.chain");
        Assert.Equal(AuditCheckStatus.Failed, c.Status);
        Assert.Contains("StageClosed", c.Reason, StringComparison.Ordinal);
    }
}
