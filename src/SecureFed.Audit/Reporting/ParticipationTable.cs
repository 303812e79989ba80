namespace SecureFed.Audit.Reporting;

// Who took part in a round, as the report shows it (ReportSections.Participation, one rendering for every scheme): a
// heading, a lead paragraph, a table when Columns is set (cells are HTML, encoded by the view) and a closing paragraph.
internal sealed record ParticipationTable(string Title, string Lead, IReadOnlyList<string>? Columns, IReadOnlyList<string[]> Rows, string? Tail);
