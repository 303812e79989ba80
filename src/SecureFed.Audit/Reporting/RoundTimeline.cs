namespace SecureFed.Audit.Reporting;

// A round's timeline as the report draws and tabulates it (ReportSections.Timeline, one rendering for every scheme):
// the messages, the scheme's stage names, which stages get a table row, and whether the server column counts the
// messages of a close (HE) or gives the time of its first answer (masking).
internal sealed record RoundTimeline(
    string Intro,
    IReadOnlyList<string> Columns,
    IReadOnlyList<TimelineEvent> Events,
    Func<int, string> StageName,
    int FirstStage,
    int LastStage,
    bool CountAnswers);
