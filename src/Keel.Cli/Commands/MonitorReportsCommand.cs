using System.CommandLine;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel monitor reports NAME [--window N | --latest] [--max N] [--json]</c></summary>
internal sealed class MonitorReportsCommand : KeelCommand
{
    private static readonly Option<long?> WindowOption = new("--window") { Description = "Print this window's full report (JSON)." };

    private static readonly Option<bool> LatestOption = new("--latest") { Description = "Print the newest full report (JSON)." };

    private static readonly Option<int> MaxOption = new("--max") { Description = "List at most this many reports.", DefaultValueFactory = _ => 20 };

    public MonitorReportsCommand()
        : base("reports", "List a monitor's window reports, newest first, or print one in full.")
    {
        Arguments.Add(MonitorCommand.NameArgument);
        Options.Add(WindowOption);
        Options.Add(LatestOption);
        Options.Add(MaxOption);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var name = parseResult.GetRequiredValue(MonitorCommand.NameArgument);
        if (parseResult.GetValue(WindowOption) is { } window || parseResult.GetValue(LatestOption))
        {
            output.Json(await client.Monitoring.GetReportAsync(name, parseResult.GetValue(WindowOption), cancellationToken));
            return ExitCodes.Success;
        }

        var reports = await client.Monitoring.ListReportsAsync(name, parseResult.GetValue(MaxOption), cancellationToken);
        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(reports);
            return ExitCodes.Success;
        }

        if (reports.Count == 0)
        {
            output.Line($"Monitor {name} has no report yet.");
        }

        foreach (var r in reports)
        {
            output.Line(MonitorCommand.Summary(r));
        }

        return ExitCodes.Success;
    }
}
