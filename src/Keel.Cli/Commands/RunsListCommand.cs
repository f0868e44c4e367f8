using System.CommandLine;
using System.Globalization;
using Keel.Client;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel runs list --experiment NAME_OR_ID [--filter ...] [--order-by ...] [--max N] [--json]</c></summary>
internal sealed class RunsListCommand : KeelCommand
{
    private const int DefaultMax = 100;

    private static readonly Option<string> ExperimentOption = new("--experiment", "-e")
    {
        Description = "The experiment's name or id.",
        HelpName = "NAME_OR_ID",
        Required = true,
    };

    private static readonly Option<string?> FilterOption = new("--filter")
    {
        Description = "An MLflow search filter, e.g. \"metrics.rmse < 1 and params.model = 'tree'\".",
        HelpName = "EXPR",
    };

    private static readonly Option<string[]> OrderByOption = new("--order-by")
    {
        Description = "A sort key such as \"metrics.rmse ASC\"; repeat for more. Defaults to newest first.",
        HelpName = "KEY",
    };

    private static readonly Option<int> MaxOption = CreateMaxOption();

    public RunsListCommand()
        : base("list", "List the runs of an experiment.")
    {
        Options.Add(ExperimentOption);
        Options.Add(FilterOption);
        Options.Add(OrderByOption);
        Options.Add(MaxOption);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var experiment = await FindExperimentAsync(client, parseResult.GetRequiredValue(ExperimentOption), cancellationToken);
        var max = parseResult.GetValue(MaxOption);
        var orderBy = parseResult.GetValue(OrderByOption) ?? [];
        var query = new RunQuery
        {
            ExperimentIds = [experiment.ExperimentId],
            Filter = parseResult.GetValue(FilterOption),
            OrderBy = orderBy.Length > 0 ? orderBy : null,
            MaxResults = Math.Min(max, 1000),
        };

        var runs = new List<Run>();
        await foreach (var run in client.SearchAllRunsAsync(query, cancellationToken))
        {
            runs.Add(run);
            if (runs.Count == max)
            {
                break;
            }
        }

        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(runs);
            return ExitCodes.Success;
        }

        if (runs.Count == 0)
        {
            output.Line($"No runs in experiment '{experiment.Name}' ({experiment.ExperimentId}).");
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("Run ID", "Name", "Status", "Started", "Duration");
        foreach (var run in runs)
        {
            table.AddRow(
                Markup.Escape(run.Info.RunId),
                Markup.Escape(run.Info.RunName),
                Formatting.Status(run.Info.Status),
                Formatting.Time(run.Info.StartTime),
                Formatting.Duration(run.Info));
        }

        output.Console.Write(table);
        return ExitCodes.Success;
    }

    // An experiment named "42" is possible, so an all-digit argument that is not an id is tried as a name.
    internal static async Task<Experiment> FindExperimentAsync(KeelClient client, string nameOrId, CancellationToken cancellationToken)
    {
        if (nameOrId.All(char.IsAsciiDigit))
        {
            try
            {
                return await client.GetExperimentAsync(nameOrId, cancellationToken);
            }
            catch (KeelApiException ex) when (ex.ErrorCode == KeelErrorCodes.ResourceDoesNotExist)
            {
            }
        }

        try
        {
            return await client.GetExperimentByNameAsync(nameOrId, cancellationToken);
        }
        catch (KeelApiException ex) when (ex.ErrorCode == KeelErrorCodes.ResourceDoesNotExist)
        {
            throw new KeelApiException(ex.ErrorCode, $"No experiment has the name or id '{nameOrId}'.", ex.StatusCode);
        }
    }

    private static Option<int> CreateMaxOption()
    {
        var option = new Option<int>("--max")
        {
            Description = "The most runs to show.",
            HelpName = "N",
            DefaultValueFactory = _ => DefaultMax,
        };
        option.Validators.Add(result =>
        {
            // A value that is not a number already has a conversion error (and reading it would throw); judge numbers only.
            if (result.Tokens is [var token] && int.TryParse(token.Value, CultureInfo.InvariantCulture, out var max) && max < 1)
            {
                result.AddError("--max must be at least 1.");
            }
        });
        return option;
    }
}
