using System.CommandLine;
using System.Globalization;
using Keel.Client;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel deploy list [--json]</c></summary>
internal sealed class DeployListCommand : KeelCommand
{
    public DeployListCommand()
        : base("list", "List deployments with their latest revision.")
    {
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var deployments = await client.Deployments.ListAsync(cancellationToken);
        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(deployments);
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("Name", "Revision", "Model", "Canary", "Status", "Updated");
        foreach (var d in deployments)
        {
            var r = d.Latest;
            table.AddRow(Markup.Escape(d.Name), r.Revision.ToString(CultureInfo.InvariantCulture), Markup.Escape(r.Model),
                Markup.Escape(r.Canary is { } c ? $"{c.Model} ({c.Percent}%)" : "-"), r.Status, Formatting.Time(r.Time));
        }

        output.Console.Write(table);
        return ExitCodes.Success;
    }
}
