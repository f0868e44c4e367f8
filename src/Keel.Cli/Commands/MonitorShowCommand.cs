using System.CommandLine;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel monitor show NAME [--json]</c>: the monitor, its latest report and its open alerts.</summary>
internal sealed class MonitorShowCommand : KeelCommand
{
    public MonitorShowCommand()
        : base("show", "Show a monitor with its latest report and open alerts.")
    {
        Arguments.Add(MonitorCommand.NameArgument);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var name = parseResult.GetRequiredValue(MonitorCommand.NameArgument);
        var monitor = await client.Monitoring.GetAsync(name, cancellationToken);
        var latest = await client.Monitoring.ListReportsAsync(name, 1, cancellationToken) is [var newest] ? newest : null;
        var alerts = await client.Monitoring.ListAlertsAsync(name, "OPEN", cancellationToken);
        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(new { monitor, latest, open_alerts = alerts });
            return ExitCodes.Success;
        }

        output.Line($"{monitor.Name}: watches {monitor.Deployment} against {monitor.Reference}, " +
            (monitor.WindowKind == "count" ? $"every {monitor.WindowSize} predictions" : $"windows of {TimeSpan.FromMilliseconds(monitor.WindowSize)}"));
        output.Line(latest is null ? "No report yet." : "Latest: " + MonitorCommand.Summary(latest));
        foreach (var a in alerts)
        {
            output.Line($"OPEN {a.Rule}{(a.Subject.Length > 0 ? " " + a.Subject : "")} since window {a.OpenedWindow}: {a.Message}");
        }

        return ExitCodes.Success;
    }
}
