using System.CommandLine;
using Keel.Client;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel models card MODEL [--markdown | --json]</c>: a version's model card.</summary>
internal sealed class ModelsCardCommand : KeelCommand
{
    private static readonly Argument<string> ModelArgument = new(ModelReference.HelpName)
    {
        Description = $"The model version: {ModelReference.Forms}.",
    };

    private static readonly Option<bool> MarkdownOption = new("--markdown")
    {
        Description = "Print the card as Markdown, as the server renders it (for READMEs and reviews).",
    };

    public ModelsCardCommand()
        : base("card", $"Show a version's model card. Intended use and limitations are the version tags {ModelCard.IntendedUseTag} and {ModelCard.LimitationsTag}.")
    {
        Arguments.Add(ModelArgument);
        Options.Add(MarkdownOption);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var uri = ModelReference.ParseVersion(parseResult.GetRequiredValue(ModelArgument));
        var version = await client.ResolveModelUriAsync(uri.ToString(), cancellationToken);
        if (parseResult.GetValue(MarkdownOption))
        {
            output.Line((await client.GetModelCardMarkdownAsync(version.Name, version.Version, cancellationToken)).TrimEnd());
            return ExitCodes.Success;
        }

        var card = await client.GetModelCardAsync(version.Name, version.Version, cancellationToken);
        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(card);
            return ExitCodes.Success;
        }

        var console = output.Console;
        var grid = new Grid().AddColumn().AddColumn();
        ModelsShowCommand.AddRow(grid, "Model", ModelReference.Label(card.Name, card.Version));
        ModelsShowCommand.AddRow(grid, "Description", card.Description ?? "-");
        ModelsShowCommand.AddRow(grid, "Stage", card.CurrentStage);
        ModelsShowCommand.AddRow(grid, "Aliases", card.Aliases.Count == 0 ? "-" : string.Join(", ", card.Aliases));
        ModelsShowCommand.AddRow(grid, "Registered", $"{Formatting.Time(card.RegisteredAt)} by {card.RegisteredBy ?? "-"}");
        ModelsShowCommand.AddRow(grid, "Intended use", card.IntendedUse ?? $"- (set tag {ModelCard.IntendedUseTag})");
        ModelsShowCommand.AddRow(grid, "Limitations", card.Limitations ?? $"- (set tag {ModelCard.LimitationsTag})");
        ModelsShowCommand.AddRow(grid, "Run", card.Run is { } run ? $"{run.RunName} ({run.RunId})" : "-");
        console.Write(grid);
        console.WriteLine();
        if (card.Signature is { } signature)
        {
            RunsShowCommand.WriteSection(console, "Signature",
                ModelsDiffCommand.SignatureRows(signature).Select(f => (f.Key, f.Value)), ["Field", "Type"], f => [f.Key, f.Value]);
        }
        else
        {
            output.Line("Signature: none (no MLmodel with a signature in the server's artifact store).");
            output.Line("");
        }

        RunsShowCommand.WriteSection(console, "Training data", card.TrainingData, ["Dataset", "Digest", "Context", "Source"],
            d => [d.Name, d.Digest, d.Context ?? "-", d.Source]);
        RunsShowCommand.WriteSection(console, "Metrics", card.Metrics, ["Key", "Value"], m => [m.Key, Formatting.Number(m.Value)]);
        RunsShowCommand.WriteSection(console, "Params", card.Params, ["Key", "Value"], p => [p.Key, p.Value]);
        RunsShowCommand.WriteSection(console, "History", card.History, ["Time", "Actor", "Change"], h => [Formatting.Time(h.Time), h.Actor, h.Change]);
        return ExitCodes.Success;
    }
}
