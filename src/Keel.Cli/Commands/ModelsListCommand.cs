using System.CommandLine;
using Keel.Client;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel models list [--filter EXPR] [--max N] [--json]</c></summary>
internal sealed class ModelsListCommand : KeelCommand
{
    private static readonly Option<string?> FilterOption = new("--filter")
    {
        Description = "An MLflow registry filter, e.g. \"name LIKE 'churn%'\" or \"tags.team = 'ml'\".",
        HelpName = "EXPR",
    };

    private static readonly Option<int> MaxOption = new("--max")
    {
        Description = "The most models to show.",
        HelpName = "N",
        DefaultValueFactory = _ => 100,
    };

    public ModelsListCommand()
        : base("list", "List registered models, their latest versions and aliases.")
    {
        Options.Add(FilterOption);
        Options.Add(MaxOption);
        Options.Add(GlobalOptions.Json);
        MaxOption.Validators.Add(result =>
        {
            if (result.Tokens is [var token] && int.TryParse(token.Value, out var max) && max < 1)
            {
                result.AddError("--max must be at least 1.");
            }
        });
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var max = parseResult.GetValue(MaxOption);
        var query = new RegisteredModelQuery { Filter = parseResult.GetValue(FilterOption), OrderBy = ["name ASC"], MaxResults = Math.Min(max, 1000) };
        var models = new List<RegisteredModel>();
        await foreach (var model in client.SearchAllRegisteredModelsAsync(query, cancellationToken))
        {
            models.Add(model);
            if (models.Count == max)
            {
                break;
            }
        }

        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(models);
            return ExitCodes.Success;
        }

        if (models.Count == 0)
        {
            output.Line("No registered models.");
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("Name", "Latest", "Stages", "Aliases", "Updated", "Description");
        foreach (var model in models)
        {
            table.AddRow(
                Markup.Escape(model.Name),
                model.LatestVersions.Count == 0 ? "-" : model.LatestVersions.Max(v => v.Version).ToString(),
                Markup.Escape(Stages(model)),
                Markup.Escape(model.Aliases.Count == 0 ? "-" : string.Join(", ", model.Aliases.Select(a => $"@{a.Alias}→{a.Version}"))),
                Formatting.Time(model.LastUpdatedTimestamp),
                Markup.Escape(model.Description ?? ""));
        }

        output.Console.Write(table);
        return ExitCodes.Success;
    }

    private static string Stages(RegisteredModel model)
    {
        var staged = model.LatestVersions.Where(v => v.CurrentStage != ModelStages.None).Select(v => $"{v.CurrentStage}={v.Version}").ToList();
        return staged.Count == 0 ? "-" : string.Join(", ", staged);
    }
}
