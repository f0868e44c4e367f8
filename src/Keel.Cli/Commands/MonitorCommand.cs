using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel monitor</c>: groups the verbs that define monitors and read their reports and alerts.</summary>
internal sealed class MonitorCommand : Command
{
    public MonitorCommand()
        : base("monitor", "Watch deployments: drift, data quality and performance per window, and alerts.")
    {
        Subcommands.Add(new MonitorCreateCommand());
        Subcommands.Add(new MonitorListCommand());
        Subcommands.Add(new MonitorShowCommand());
        Subcommands.Add(new MonitorRunCommand());
        Subcommands.Add(new MonitorReportsCommand());
        Subcommands.Add(new MonitorAlertsCommand());
    }

    internal static readonly Argument<string> NameArgument = new("NAME") { Description = "The monitor's name." };

    /// <summary>One line per report: window, rows, labelled, drift share and the verdict.</summary>
    internal static string Summary(MonitorReport r) => FormattableString.Invariant(
        $"window {r.Window}: {r.Rows} predictions, {r.Labelled} labelled, drift share {r.DriftShare:0.###}") +
        (r.Rows == 0 ? " (empty window)" : r.DatasetDrift ? " - DATASET DRIFT" : "") +
        (Performance(r) is { } metric ? $", {metric}" : "") + (r.Dirty ? " (late labels: run again)" : "");

    private static readonly string[] SummaryMetrics = ["accuracy", "rmse"];

    private static string? Performance(MonitorReport r)
    {
        if (r.Report is not { } report || !report.TryGetProperty("performance", out var p) || p.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return SummaryMetrics.Where(m => p.TryGetProperty(m, out var v) && v.ValueKind == JsonValueKind.Number)
            .Select(m => $"{m} {Formatting.Number(p.GetProperty(m).GetDouble())}").FirstOrDefault();
    }
}
