using FsCheck;
using FsCheck.Fluent;
using SecureFed.Transcripts;
using SecureFed.Audit.Verification;

namespace SecureFed.Audit.Tests;

// Flipping any byte of a transcript must make the verifier fail.
public class TamperTests
{
    private static bool DetectsFlip(byte[] original, int position, byte xor)
    {
        byte[] copy = (byte[])original.Clone();
        copy[position] ^= xor;
        return !TranscriptVerifier.Verify(copy).Passed;
    }

    [Fact]
    public void Flipping_a_byte_at_every_record_boundary_and_along_a_stride_is_detected()
    {
        byte[] t = SampleRound.Complete.Transcript;
        IReadOnlyList<TranscriptRecord> records = TranscriptReader.Read(t);
        var positions = new SortedSet<int>();
        // The magic, every record's length prefix, first body bytes and last signature bytes, and every 97th byte.
        positions.UnionWith(Enumerable.Range(0, 8));
        foreach (TranscriptRecord r in records)
        {
            positions.UnionWith(Enumerable.Range((int)r.Offset, 6));
            positions.UnionWith(Enumerable.Range((int)r.Offset + r.Size - 2, 2));
        }
        for (int p = 0; p < t.Length; p += 97)
        {
            positions.Add(p);
        }
        positions.Add(t.Length - 1);
        var missed = positions.Where(p => !DetectsFlip(t, p, 0x01)).ToList();
        Assert.True(missed.Count == 0, $"undetected flips at {string.Join(",", missed.Take(10))}");
        Assert.True(positions.Count > 400, $"only {positions.Count} positions tried");
    }

    [Fact]
    public void Flipping_a_random_byte_with_a_random_mask_is_detected()
    {
        byte[] t = SampleRound.Complete.Transcript;
        Prop.ForAll(Gen.Choose(0, t.Length - 1).ToArbitrary(), Gen.Choose(1, 255).ToArbitrary(), (p, x) => DetectsFlip(t, p, (byte)x))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(150));
    }

    [Fact]
    public void Truncating_or_extending_the_file_is_detected()
    {
        byte[] t = SampleRound.Complete.Transcript;
        IReadOnlyList<TranscriptRecord> records = TranscriptReader.Read(t);
        // Cut at a record boundary: framing is fine, the chain's end record is missing.
        byte[] cut = t[..(int)records[^1].Offset];
        Checks.AssertStatus(TranscriptVerifier.Verify(cut), "transcript.chain", AuditCheckStatus.Failed);
        Assert.False(TranscriptVerifier.Verify(t[..^1]).Passed);
        Assert.False(TranscriptVerifier.Verify(t.Append((byte)0).ToArray()).Passed);
        Assert.False(TranscriptVerifier.Verify(Array.Empty<byte>()).Passed);
    }

    [Fact]
    public void Garbage_is_a_typed_format_error()
    {
        Assert.Throws<TranscriptFormatException>(() => TranscriptReader.Read("SFTRNS01\u0000\u0000\u0000\u0005abc"u8.ToArray()));
        Assert.Throws<TranscriptFormatException>(() => TranscriptReader.Read("hello"u8.ToArray()));
        AuditVerification v = TranscriptVerifier.Verify("SFTRNS01\u0000\u0000\u0000\u0001\u00c1"u8.ToArray());
        Checks.AssertStatus(v, "transcript.format", AuditCheckStatus.Failed);
    }
}
