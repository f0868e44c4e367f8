using System.CommandLine;
using Keel.Client;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel data diff NAME@A NAME@B [--json]</c></summary>
internal sealed class DataDiffCommand : KeelCommand
{
    private static readonly Argument<string> FromArgument = new("FROM") { Description = $"The older version: {DataCommand.ReferenceForms}." };

    private static readonly Argument<string> ToArgument = new("TO") { Description = $"The newer version: {DataCommand.ReferenceForms}." };

    public DataDiffCommand()
        : base("diff", "Show the files added, removed and changed between two versions, and how changed tables changed (schema, rows, PSI).")
    {
        Arguments.Add(FromArgument);
        Arguments.Add(ToArgument);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var diff = await client.Data.DiffAsync(parseResult.GetRequiredValue(FromArgument), parseResult.GetRequiredValue(ToArgument), cancellationToken);
        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(diff);
            return ExitCodes.Success;
        }

        Write(output.Console, diff);
        return ExitCodes.Success;
    }

    /// <summary>The diff as people read it; the demo prints its new batch the same way.</summary>
    internal static void Write(IAnsiConsole console, DatasetDiff diff)
    {
        console.WriteLine($"{DataCommand.Describe(diff.From)} → {DataCommand.Describe(diff.To)}: {diff.Changes.Count} file(s) differ.");
        if (diff.Changes.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumns("Change", "Path", "Old size", "New size");
        foreach (var change in diff.Changes)
        {
            table.AddRow(change.Kind.ToString().ToLowerInvariant(), Markup.Escape(change.Path),
                change.OldSize is { } old ? DataCommand.Size(old) : "-", change.NewSize is { } size ? DataCommand.Size(size) : "-");
        }

        console.Write(table);
        foreach (var t in diff.Tables)
        {
            WriteTable(t, console);
        }
    }

    private static void WriteTable(TableDiff t, IAnsiConsole console)
    {
        console.WriteLine($"{t.Path}: rows {t.OldRows} → {t.NewRows} ({t.NewRows - t.OldRows:+#;-#;0})");
        foreach (var column in t.AddedColumns)
        {
            console.WriteLine($"  added column {column}");
        }

        foreach (var column in t.RemovedColumns)
        {
            console.WriteLine($"  removed column {column}");
        }

        foreach (var change in t.TypeChanges)
        {
            console.WriteLine($"  type of {change.Column}: {change.OldType} → {change.NewType}");
        }

        if (t.Shifts.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumns("Column", "PSI", "Shift (stable < 0.1 ≤ moderate < 0.25 ≤ major)");
        foreach (var shift in t.Shifts)
        {
            table.AddRow(Markup.Escape(shift.Column), shift.Psi.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture), shift.Level);
        }

        console.Write(table);
    }
}
