using System.CommandLine;
using Keel.Client;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel audit list [--since TIME] [filters] [--max-results N] [--json]</c></summary>
internal sealed class AuditListCommand : KeelCommand
{
    private static readonly Option<int> MaxResults = new("--max-results")
    {
        Description = "Show at most N entries (1 to 1000), oldest first.",
        DefaultValueFactory = _ => 100,
        HelpName = "N",
    };

    public AuditListCommand()
        : base("list", "List audit entries, oldest first: who did what to which resource, and with what outcome.")
    {
        Options.Add(AuditCommand.Since);
        AuditCommand.AddFilters(this);
        Options.Add(MaxResults);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var page = await client.Audit.ListAsync(AuditCommand.Query(parseResult, parseResult.GetValue(MaxResults)), cancellationToken: cancellationToken);
        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(page);
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("Seq", "Time", "Actor", "Action", "Resource", "Outcome", "Request id");
        foreach (var e in page.Entries)
        {
            table.AddRow(e.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture), Formatting.Time(e.Time), Markup.Escape(e.Actor),
                Markup.Escape(e.Action), Markup.Escape(e.Resource ?? ""), e.Outcome.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(e.RequestId));
        }

        output.Console.Write(table);
        if (page.NextPageToken is not null)
        {
            output.Line("More entries match: narrow the filters, or use keel audit export.");
        }

        return ExitCodes.Success;
    }
}
