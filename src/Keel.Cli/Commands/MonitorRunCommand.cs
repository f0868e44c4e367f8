using System.CommandLine;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel monitor run NAME [--json]</c>: evaluates closed windows (and windows with late labels) now.</summary>
internal sealed class MonitorRunCommand : KeelCommand
{
    public MonitorRunCommand()
        : base("run", "Evaluate a monitor now: its closed windows not yet reported, and windows with late labels.")
    {
        Arguments.Add(MonitorCommand.NameArgument);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var evaluation = await client.Monitoring.EvaluateAsync(parseResult.GetRequiredValue(MonitorCommand.NameArgument), cancellationToken);
        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(evaluation);
            return ExitCodes.Success;
        }

        output.Line(evaluation.ComputedWindows.Count == 0
            ? "No window was due (a window is evaluated once it has closed)."
            : $"Computed {evaluation.ComputedWindows.Count} window(s): {string.Join(", ", evaluation.ComputedWindows)}");
        if (evaluation.Latest is { } latest)
        {
            output.Line("Latest: " + MonitorCommand.Summary(latest));
        }

        return ExitCodes.Success;
    }
}
