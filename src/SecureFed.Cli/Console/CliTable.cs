using Spectre.Console;
using Spectre.Console.Rendering;

namespace SecureFed.Cli;

/// <summary>Plain-text table rows: cell text is shown as is (Spectre would read '[' as markup).</summary>
internal static class CliTable
{
    /// <summary>A table with these column headers, every column after the first right-aligned (numbers).</summary>
    public static Table Numeric(params string[] headers)
    {
        var table = new Table();
        foreach (string h in headers)
        {
            table.AddColumn(new TableColumn(new Text(h)));
        }
        foreach (TableColumn c in table.Columns.Skip(1))
        {
            c.RightAligned();
        }
        return table;
    }

    /// <summary>Adds one row of plain-text cells.</summary>
    public static void Row(this Table table, params string[] cells) => table.AddRow(cells.Select(c => (IRenderable)new Text(c)));
}
