using System.Text.RegularExpressions;
using SecureFed.Audit.Reporting;
using SecureFed.Audit.Verification;

namespace SecureFed.Audit.Tests;

public partial class HeReportTests
{
    [GeneratedRegex("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")]
    private static partial Regex EmbeddedPng();

    [Fact]
    public void An_he_report_has_the_summary_timeline_participation_and_every_check()
    {
        HeSampleRound s = HeSampleRound.Default;
        using var keys = s.Keys();
        AuditVerification v = TranscriptVerifier.Verify(s.Transcript, null, null, keys);
        string html = AuditReportWriter.Render(v, "he.transcript");
        foreach (string section in new[] { "Round", "Timeline", "Bytes per party", "Participation", "Verifier checks" })
        {
            Assert.Contains($">{section}</h2>", html, StringComparison.Ordinal);
        }
        foreach (AuditCheck c in v.Checks)
        {
            Assert.Contains($"<code>{c.Id}</code>", html, StringComparison.Ordinal);
        }
        var pngs = EmbeddedPng().Matches(html).Select(m => Convert.FromBase64String(m.Groups[1].Value)).ToList();
        Assert.Equal(2, pngs.Count); // timeline and bytes per party
        Assert.All(pngs, p => Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, p[..4]));
        Assert.Contains("threshold homomorphic encryption", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>1</td><td>1, 2</td><td>clients 1</td></tr>", html, StringComparison.Ordinal); // decryptor 2 ignored attempt 1
        Assert.Contains("<tr><td>2</td><td>1, 3</td><td>clients 1, 3</td></tr>", html, StringComparison.Ordinal); // the retry
        Assert.Contains("Clients without an upload: 5.", html, StringComparison.Ordinal);
        Assert.Contains(">VERIFIED", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_doctored_he_transcript_renders_as_not_verified()
    {
        byte[] t = (byte[])HeSampleRound.Default.Transcript.Clone();
        t[t.Length / 2] ^= 1;
        string html = AuditReportWriter.Render(TranscriptVerifier.Verify(t), "tampered");
        Assert.Contains("NOT VERIFIED", html, StringComparison.Ordinal);
        Assert.Contains("class=\"Failed\"", html, StringComparison.Ordinal);
    }
}
