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
        : base("diff", "Show the files added, removed and changed between two versions, with sizes.")
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

        output.Line($"{DataCommand.Describe(diff.From)} → {DataCommand.Describe(diff.To)}: {diff.Changes.Count} file(s) differ.");
        if (diff.Changes.Count == 0)
        {
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("Change", "Path", "Old size", "New size");
        foreach (var change in diff.Changes)
        {
            table.AddRow(change.Kind.ToString().ToLowerInvariant(), Markup.Escape(change.Path),
                change.OldSize is { } old ? DataCommand.Size(old) : "-", change.NewSize is { } size ? DataCommand.Size(size) : "-");
        }

        output.Console.Write(table);
        return ExitCodes.Success;
    }
}
