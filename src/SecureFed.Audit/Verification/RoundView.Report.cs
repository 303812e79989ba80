using System.Globalization;
using SecureFed.Audit.Reporting;

namespace SecureFed.Audit.Verification;

// What the report shows of a masking round beyond the shared sections: its timeline and its dropouts.
internal sealed partial class RoundView
{
    public override bool ReportsServerView => true;

    public override bool ReportsPrivacyWithoutDp => true;

    public override RoundTimeline Timeline() => new(
        "Each stage: the clients' messages to the server, then the server's answer that closes it.",
        ["stage", "clients sent", "first / last client message (ms)", "client bytes", "server answer sent at (ms)", "server bytes"],
        [
            .. ClientMessages.Select(m => TimelineEvent.Of(m.Record, m.Record.Body.Party, m.Envelope is null ? -1 : (int)m.Envelope.Stage, true,
                $"R{(m.Envelope is null ? -1 : (int)m.Envelope.Stage)}")),
            .. ServerMessages.Select(s => TimelineEvent.Of(s.Record, s.Recipient, s.Code == 4 ? 5 : s.Code, false, $"S{s.Code}")),
        ],
        TimelineEvent.StageName,
        FirstStage: 0,
        LastStage: 4,
        CountAnswers: false);

    public override ParticipationTable Participation()
    {
        var inv = CultureInfo.InvariantCulture;
        var sets = new[] { U1, U2, U3, U4, U5 };
        var dropped = Parameters.ClientIds.Where(id => !U5.Contains(id)).ToList();
        string lead = string.Create(inv, $"|U1| = {U1.Count}, |U2| = {U2.Count}, |U3| = {U3.Count} (survivors), |U4| = {U4.Count}, |U5| = {U5.Count}; t = {Parameters.Threshold}.");
        if (dropped.Count == 0)
        {
            return new ParticipationTable("Dropouts", lead, null, [], "No client dropped out.");
        }
        var rows = dropped.Select(id =>
        {
            int last = Array.FindLastIndex(sets, s => s.Contains(id));
            string effect = last switch
            {
                -1 => "never advertised keys: not in the round",
                0 => "advertised keys but sent no shares: no masks with it, nothing to remove",
                1 => "shared keys but sent no masked input: its mask key was rebuilt and its pairwise masks removed; its input is not in the sum",
                _ => "its masked input is in the sum; it stopped before the end (its share holders covered for it)",
            };
            return new[] { id.ToString(inv), last < 0 ? "none" : string.Create(inv, $"R{last}"), effect };
        }).ToList();
        return new ParticipationTable("Dropouts", lead, ["client", "last stage it completed", "what the server did about it"], rows, null);
    }
}
