using System.CommandLine;
using System.Globalization;
using Keel.Client;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel deploy history NAME [--json]</c></summary>
internal sealed class DeployHistoryCommand : KeelCommand
{
    public DeployHistoryCommand()
        : base("history", "List a deployment's revisions, newest first: models, who, when, and whether a host serves it.")
    {
        Arguments.Add(DeployCommand.NameArgument);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var revisions = await client.Deployments.ListRevisionsAsync(parseResult.GetRequiredValue(DeployCommand.NameArgument), cancellationToken);
        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(revisions);
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("Revision", "Model", "Canary", "Shadow", "Status", "By", "When", "Why");
        foreach (var r in revisions)
        {
            table.AddRow(r.Revision.ToString(CultureInfo.InvariantCulture), Markup.Escape(r.Model),
                Markup.Escape(r.Canary is { } c ? $"{c.Model} ({c.Percent}%)" : "-"), Markup.Escape(r.Shadow ?? "-"), r.Status, Markup.Escape(r.Actor), Formatting.Time(r.Time),
                Markup.Escape(string.Join("; ", new[] { r.Cause, r.Message }.OfType<string>())));
        }

        output.Console.Write(table);
        return ExitCodes.Success;
    }
}
