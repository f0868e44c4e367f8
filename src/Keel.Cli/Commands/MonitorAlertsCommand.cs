using System.CommandLine;
using Keel.Client;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel monitor alerts [--monitor NAME] [--status open|resolved] [--json]</c></summary>
internal sealed class MonitorAlertsCommand : KeelCommand
{
    private static readonly Option<string?> MonitorOption = new("--monitor") { Description = "Only this monitor's alerts." };

    private static readonly Option<string?> StatusOption = new("--status") { Description = "open or resolved." };

    public MonitorAlertsCommand()
        : base("alerts", "List alerts, newest first.")
    {
        Options.Add(MonitorOption);
        Options.Add(StatusOption);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var alerts = await client.Monitoring.ListAlertsAsync(
            parseResult.GetValue(MonitorOption), parseResult.GetValue(StatusOption)?.ToUpperInvariant(), cancellationToken);
        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(alerts);
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("Id", "Monitor", "Rule", "Subject", "Status", "Opened", "Window", "Message");
        foreach (var a in alerts)
        {
            table.AddRow(a.AlertId.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(a.Monitor), a.Rule, Markup.Escape(a.Subject),
                a.Status, Formatting.Time(a.OpenedTime), a.OpenedWindow.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(a.Message));
        }

        output.Console.Write(table);
        return ExitCodes.Success;
    }
}
