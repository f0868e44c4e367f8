using System.CommandLine;
using System.Globalization;
using Keel.Client;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel models lineage MODEL [--json]</c>: a version, the run that produced it, its data and metrics.</summary>
internal sealed class ModelsLineageCommand : KeelCommand
{
    private static readonly Argument<string> ModelArgument = new(ModelReference.HelpName)
    {
        Description = $"The model version: {ModelReference.Forms}.",
    };

    public ModelsLineageCommand()
        : base("lineage", "Show where a model version came from: its run, params, metrics, datasets and Keel data versions.")
    {
        Arguments.Add(ModelArgument);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var uri = ModelReference.ParseVersion(parseResult.GetRequiredValue(ModelArgument));
        var version = await client.ResolveModelUriAsync(uri.ToString(), cancellationToken);
        var lineage = await client.GetModelVersionLineageAsync(version.Name, version.Version, cancellationToken);
        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(lineage);
            return ExitCodes.Success;
        }

        var console = output.Console;
        ModelsShowCommand.WriteVersion(console, lineage.ModelVersion);
        if (lineage.Run is not { } run)
        {
            output.Line("Run: none (registered from a location outside any run).");
            output.Line("");
        }
        else
        {
            WriteRun(console, run);
        }

        RunsShowCommand.WriteSection(console, "Data versions", lineage.DataVersions, ["Version", "Digest", "Context"],
            d => [d.Uri, d.Digest, d.Context ?? "-"]);

        RunsShowCommand.WriteSection(console, "Deployments", lineage.Deployments, ["Deployment", "Revision", "Role", "Traffic", "Status"],
            d => [d.Name, d.Revision.ToString(CultureInfo.InvariantCulture), d.Role, d.Percent is { } percent ? $"{percent}%" : "copy", d.Status]);
        return ExitCodes.Success;
    }

    internal static void WriteRun(IAnsiConsole console, LineageRun run)
    {
        var grid = new Grid().AddColumn().AddColumn();
        ModelsShowCommand.AddRow(grid, "Run ID", run.RunId);
        ModelsShowCommand.AddRow(grid, "Run name", run.RunName);
        ModelsShowCommand.AddRow(grid, "Experiment", $"{run.ExperimentName ?? "-"} ({run.ExperimentId})");
        ModelsShowCommand.AddRow(grid, "Status", Formatting.Status(run.Status));
        ModelsShowCommand.AddRow(grid, "Started", Formatting.Time(run.StartTime));
        ModelsShowCommand.AddRow(grid, "Ended", Formatting.Time(run.EndTime));
        ModelsShowCommand.AddRow(grid, "User", run.User ?? "-");
        console.Write(grid);
        console.WriteLine();
        RunsShowCommand.WriteSection(console, "Params", run.Params, ["Key", "Value"], p => [p.Key, p.Value]);
        RunsShowCommand.WriteSection(console, "Metrics", run.Metrics, ["Key", "Value", "Step"],
            m => [m.Key, Formatting.Number(m.Value), m.Step.ToString(CultureInfo.InvariantCulture)]);
        RunsShowCommand.WriteSection(console, "Datasets", run.Datasets, ["Dataset", "Digest", "Context", "Source type", "Source"],
            d => [d.Name, d.Digest, d.Context ?? "-", d.SourceType, d.Source]);
    }
}
