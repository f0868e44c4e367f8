using System.CommandLine;
using Keel.Client;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel models show name[/VERSION|@ALIAS] [--json]</c>: a model and its versions, or one version.</summary>
internal sealed class ModelsShowCommand : KeelCommand
{
    private static readonly Argument<string> ModelArgument = new(ModelReference.HelpName)
    {
        Description = $"A model's name, or one of its versions: {ModelReference.Forms}.",
    };

    public ModelsShowCommand()
        : base("show", "Show a registered model with its versions, or one version.")
    {
        Arguments.Add(ModelArgument);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var text = parseResult.GetRequiredValue(ModelArgument);
        if (!ModelReference.TryParse(text, out var uri, out var modelName))
        {
            throw new FormatException($"'{text}' does not name a model or a model version. Use a name, or {ModelReference.Forms}.");
        }

        var json = parseResult.GetValue(GlobalOptions.Json);
        if (uri is not null)
        {
            var version = await client.ResolveModelUriAsync(uri.ToString(), cancellationToken);
            if (json)
            {
                output.Json(version);
                return ExitCodes.Success;
            }

            WriteVersion(output.Console, version);
            return ExitCodes.Success;
        }

        var model = await client.GetRegisteredModelAsync(modelName!, cancellationToken);
        var versions = new List<ModelVersion>();
        await foreach (var v in client.SearchAllModelVersionsAsync(
            new ModelVersionQuery { Filter = $"name = '{model.Name}'", OrderBy = ["version_number DESC"] },
            cancellationToken))
        {
            versions.Add(v);
        }

        if (json)
        {
            output.Json(new { registered_model = model, model_versions = versions });
            return ExitCodes.Success;
        }

        var console = output.Console;
        var grid = new Grid().AddColumn().AddColumn();
        AddRow(grid, "Name", model.Name);
        AddRow(grid, "Description", model.Description ?? "-");
        AddRow(grid, "Created", Formatting.Time(model.CreationTimestamp));
        AddRow(grid, "Updated", Formatting.Time(model.LastUpdatedTimestamp));
        AddRow(grid, "Aliases", model.Aliases.Count == 0 ? "-" : string.Join(", ", model.Aliases.Select(a => $"@{a.Alias} → {a.Version}")));
        console.Write(grid);
        console.WriteLine();
        RunsShowCommand.WriteSection(console, "Tags", model.Tags, ["Key", "Value"], t => [t.Key, t.Value]);
        RunsShowCommand.WriteSection(console, "Versions", versions, ["Version", "Stage", "Aliases", "Run", "Source", "Registered"],
            v => [v.Version.ToString(), v.CurrentStage, string.Join(", ", v.Aliases), v.RunId ?? "-", v.Source, Formatting.Time(v.CreationTimestamp)]);
        return ExitCodes.Success;
    }

    internal static void WriteVersion(IAnsiConsole console, ModelVersion version)
    {
        var grid = new Grid().AddColumn().AddColumn();
        AddRow(grid, "Model", version.Name);
        AddRow(grid, "Version", version.Version.ToString());
        AddRow(grid, "Stage", version.CurrentStage);
        AddRow(grid, "Aliases", version.Aliases.Count == 0 ? "-" : string.Join(", ", version.Aliases));
        AddRow(grid, "Description", version.Description ?? "-");
        AddRow(grid, "Source", version.Source);
        AddRow(grid, "Run", version.RunId ?? "-");
        AddRow(grid, "Status", version.Status);
        AddRow(grid, "Registered", Formatting.Time(version.CreationTimestamp));
        AddRow(grid, "Updated", Formatting.Time(version.LastUpdatedTimestamp));
        console.Write(grid);
        console.WriteLine();
        RunsShowCommand.WriteSection(console, "Tags", version.Tags, ["Key", "Value"], t => [t.Key, t.Value]);
    }

    internal static void AddRow(Grid grid, string label, string value) => grid.AddRow(new Markup($"[bold]{label}[/]"), new Text(value));
}
