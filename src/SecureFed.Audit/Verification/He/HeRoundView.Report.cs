using System.Globalization;
using System.Net;
using SecureFed.Audit.Reporting;
using SecureFed.HeProtocol.Messages;

namespace SecureFed.Audit.Verification.He;

// What the report shows of an HE round beyond the shared sections: its timeline (stages H0..H3 and decryption
// attempts) and who took part. The server sees only ciphertexts, so the report draws no server-view histograms, and
// a privacy section only for a DP round.
internal sealed partial class HeRoundView
{
    private const int AbortStage = 4;

    public override bool ReportsServerView => false;

    public override bool ReportsPrivacyWithoutDp => false;

    public static string StageName(int stage) => stage switch
    {
        0 => "H0 KeyAdvertisement / AdvertisementList",
        1 => "H1 KeyShares / KeyShareDelivery, CollectiveKeyAnnouncement",
        2 => "H2 Upload / DecryptionRequest",
        3 => "H3 DecryptionShare / HeRoundResult or retry",
        AbortStage => "HeAbortNotice",
        _ => "undecodable",
    };

    public override RoundTimeline Timeline() => new(
        "Each stage: the parties' envelopes to the server, then the messages the server sent when it closed the stage.",
        ["stage", "envelopes", "first / last envelope (ms)", "envelope bytes", "server messages", "server bytes"],
        [
            .. ClientMessages.Select(m => TimelineEvent.Of(m.Record, m.Sender, m.Envelope is null ? -1 : (int)m.Envelope.Stage, true,
                $"H{(m.Envelope is null ? -1 : (int)m.Envelope.Stage)}")),
            // Close k (1-based) ends H0, H1, H2, then one H3 attempt each.
            .. ServerMessages.Select(s => TimelineEvent.Of(s.Record, s.Recipient,
                s.Message is null ? -1 : s.Message is HeAbortNotice ? AbortStage : Math.Clamp(s.Close - 1, 0, 3), false, s.Message?.GetType().Name ?? "?")),
        ],
        StageName,
        FirstStage: -1,
        LastStage: AbortStage,
        CountAnswers: true);

    public override ParticipationTable Participation()
    {
        var inv = CultureInfo.InvariantCulture;
        var c = Parameters.Configuration;
        var advertised = Valid(HeStage.KeyAdvertisement).Select(m => m.Sender).ToHashSet();
        var final = HeKeyChecks.FinalDecryptors(this).ToHashSet();
        var uploaded = Valid(HeStage.Upload).Select(m => m.Sender).ToHashSet();
        string lead = string.Create(inv, $"{advertised.Count} of {c.Decryptors.Length} decryptors advertised, {final.Count} dealt their shares and hold the key; " +
            $"{uploaded.Count} of {Parameters.ClientIds.Count} clients uploaded. The server sees only ciphertexts, so this report draws no histograms.");
        var shares = Valid(HeStage.DecryptionShare).Select(m => (m.Sender, ((DecryptionShareBody)m.Body!).Attempt)).ToList();
        var rows = ServerMessagesOf<DecryptionRequestMessage>().Select(s => (DecryptionRequestMessage)s.Message!).DistinctBy(r => r.Attempt).OrderBy(r => r.Attempt)
            .Select(request => new[]
            {
                request.Attempt.ToString(inv),
                WebUtility.HtmlEncode(string.Join(", ", request.Participants ?? [])),
                "clients " + WebUtility.HtmlEncode(string.Join(", ", shares.Where(s => s.Attempt == request.Attempt).Select(s => s.Sender).Order())),
            }).ToList();
        var missing = Parameters.ClientIds.Where(id => !uploaded.Contains(id)).ToList();
        return new ParticipationTable("Participation", lead, ["attempt", "participants (decryptor indices)", "answered"], rows,
            $"Clients without an upload: {(missing.Count == 0 ? "none" : WebUtility.HtmlEncode(string.Join(", ", missing)))}.");
    }
}
