using System.CommandLine;
using System.Globalization;
using Keel.Client;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Keel.Cli.Commands;

/// <summary><c>keel runs show RUN_ID [--json]</c>: a run's metadata, params, latest metrics, tags and inputs.</summary>
internal sealed class RunsShowCommand : KeelCommand
{
    private static readonly Argument<string> RunIdArgument = new("RUN_ID")
    {
        Description = "The run's id.",
    };

    public RunsShowCommand()
        : base("show", "Show a run: its metadata, params, latest metrics, tags and inputs.")
    {
        Arguments.Add(RunIdArgument);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var run = await client.GetRunAsync(parseResult.GetRequiredValue(RunIdArgument), cancellationToken);
        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(run);
            return ExitCodes.Success;
        }

        var console = output.Console;
        console.Write(InfoGrid(run.Info));
        console.WriteLine();
        WriteSection(console, "Params", run.Data.Params, ["Key", "Value"], p => [p.Key, p.Value]);
        WriteSection(console, "Metrics", run.Data.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal), ["Key", "Value", "Step", "Logged"],
            m => [m.Key, Formatting.Number(m.Value), m.Step.ToString(CultureInfo.InvariantCulture), Formatting.Time(m.Timestamp)]);
        WriteSection(console, "Tags", run.Data.Tags.OrderBy(t => t.Key, StringComparer.Ordinal), ["Key", "Value"], t => [t.Key, t.Value]);
        WriteSection(console, "Inputs", run.Inputs.DatasetInputs, ["Dataset", "Digest", "Source type", "Source", "Tags"],
            i => [i.Dataset.Name, i.Dataset.Digest, i.Dataset.SourceType, i.Dataset.Source, string.Join(", ", i.Tags.Select(t => $"{t.Key}={t.Value}"))]);
        return ExitCodes.Success;
    }

    private static Grid InfoGrid(RunInfo info)
    {
        var grid = new Grid().AddColumn().AddColumn();
        AddRow("Run ID", info.RunId);
        AddRow("Name", info.RunName);
        AddRow("Experiment", info.ExperimentId);
        AddRow("Status", Formatting.Status(info.Status));
        AddRow("Started", Formatting.Time(info.StartTime));
        AddRow("Ended", Formatting.Time(info.EndTime));
        AddRow("Duration", Formatting.Duration(info));
        AddRow("Artifacts", info.ArtifactUri);
        AddRow("Lifecycle", info.LifecycleStage);
        return grid;

        void AddRow(string label, string value) => grid.AddRow(new Markup($"[bold]{label}[/]"), new Text(value));
    }

    internal static void WriteSection<T>(IAnsiConsole console, string title, IEnumerable<T> items, string[] columns, Func<T, string[]> cells)
    {
        var rows = items.ToList();
        console.MarkupLine($"[bold]{title}[/] ({rows.Count})");
        if (rows.Count == 0)
        {
            console.WriteLine();
            return;
        }

        var table = new Table().AddColumns(columns);
        foreach (var row in rows)
        {
            table.AddRow(cells(row).Select(cell => new Text(cell)).ToArray<IRenderable>());
        }

        console.Write(table);
        console.WriteLine();
    }
}
