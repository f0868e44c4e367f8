using System.CommandLine;
using Keel.Client;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel data lineage NAME@VERSION [--json]</c></summary>
internal sealed class DataLineageCommand : KeelCommand
{
    private static readonly Argument<string> ReferenceArgument = new("REF") { Description = $"The version: {DataCommand.ReferenceForms}." };

    public DataLineageCommand()
        : base("lineage", "List the runs that used a version as an input and the model versions registered from those runs.")
    {
        Arguments.Add(ReferenceArgument);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var lineage = await client.Data.GetLineageAsync(parseResult.GetRequiredValue(ReferenceArgument), cancellationToken);
        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(lineage);
            return ExitCodes.Success;
        }

        output.Line($"{lineage.Uri}: used by {lineage.Runs.Count} run(s); {lineage.ModelVersions.Count} registered model version(s) came from them.");
        if (lineage.Runs.Count > 0)
        {
            var runs = new Table().AddColumns("Run", "Name", "Experiment", "Status", "Started");
            foreach (var run in lineage.Runs)
            {
                runs.AddRow(run.RunId, Markup.Escape(run.RunName), run.ExperimentId,
                    run.LifecycleStage == "deleted" ? $"{run.Status} (deleted)" : run.Status, Formatting.Time(run.StartTime));
            }

            output.Console.Write(runs);
        }

        if (lineage.ModelVersions.Count > 0)
        {
            var models = new Table().AddColumns("Model", "Version", "Stage", "Run");
            foreach (var model in lineage.ModelVersions)
            {
                models.AddRow(Markup.Escape(model.Name), model.Version, model.CurrentStage, model.RunId);
            }

            output.Console.Write(models);
        }

        return ExitCodes.Success;
    }
}
