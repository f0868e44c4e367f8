using System.CommandLine;
using System.Globalization;
using Keel.Client;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel data profile NAME@VERSION [--json]</c></summary>
internal sealed class DataProfileCommand : KeelCommand
{
    private static readonly Argument<string> ReferenceArgument = new("REF") { Description = $"The version: {DataCommand.ReferenceForms}." };

    public DataProfileCommand()
        : base("profile", "Show the profiles of a version's CSV and Parquet files: schema, row count and per-column statistics.")
    {
        Arguments.Add(ReferenceArgument);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var reference = parseResult.GetRequiredValue(ReferenceArgument);
        var profiles = await client.Data.GetProfilesAsync(reference, cancellationToken);
        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(profiles);
            return ExitCodes.Success;
        }

        if (profiles.Count == 0)
        {
            output.Line($"{reference} holds no profiled tables (CSV or Parquet).");
            return ExitCodes.Success;
        }

        foreach (var profile in profiles)
        {
            output.Line($"{profile.Path} ({profile.Format}): {profile.Rows} rows, {profile.Columns.Count} columns");
            var table = new Table().AddColumns("Column", "Type", "Nulls", "Distinct", "Min", "Max", "Mean", "Std", "Top values");
            foreach (var c in profile.Columns)
            {
                table.AddRow(Markup.Escape(c.Name), c.Type, Number(c.Nulls), (c.DistinctExact ? "" : "~") + Number(c.Distinct),
                    Markup.Escape(c.Min is { } min ? Number(min) : c.Earliest ?? "-"), Markup.Escape(c.Max is { } max ? Number(max) : c.Latest ?? "-"),
                    c.Mean is { } mean ? Number(mean) : "-", c.Std is { } std ? Number(std) : "-",
                    Markup.Escape(string.Join(", ", c.TopValues.Take(3).Select(v => $"{v.Value} ({v.Count})"))));
            }

            output.Console.Write(table);
        }

        return ExitCodes.Success;
    }

    private static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
