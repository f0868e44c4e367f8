using System.CommandLine;
using Keel.Client;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel experiments list [--view active|deleted|all] [--json]</c></summary>
internal sealed class ExperimentsListCommand : KeelCommand
{
    private static readonly Option<string> ViewOption = CreateViewOption();

    public ExperimentsListCommand()
        : base("list", "List experiments.")
    {
        Options.Add(ViewOption);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var query = new ExperimentQuery { ViewType = ParseView(parseResult.GetRequiredValue(ViewOption)) };
        var experiments = new List<Experiment>();
        await foreach (var experiment in client.SearchAllExperimentsAsync(query, cancellationToken))
        {
            experiments.Add(experiment);
        }

        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(experiments);
            return ExitCodes.Success;
        }

        if (experiments.Count == 0)
        {
            output.Line("No experiments.");
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("ID", "Name", "Stage", "Created", "Artifact location");
        foreach (var experiment in experiments)
        {
            table.AddRow(
                Markup.Escape(experiment.ExperimentId),
                Markup.Escape(experiment.Name),
                Markup.Escape(experiment.LifecycleStage),
                Formatting.Time(experiment.CreationTime),
                Markup.Escape(experiment.ArtifactLocation ?? ""));
        }

        output.Console.Write(table);
        return ExitCodes.Success;
    }

    private static Option<string> CreateViewOption()
    {
        var option = new Option<string>("--view")
        {
            Description = "Which experiments to show.",
            DefaultValueFactory = _ => "active",
        };
        option.AcceptOnlyFromAmong("active", "deleted", "all");
        return option;
    }

    private static ViewType ParseView(string view) => view switch
    {
        "deleted" => ViewType.DeletedOnly,
        "all" => ViewType.All,
        _ => ViewType.ActiveOnly,
    };
}
