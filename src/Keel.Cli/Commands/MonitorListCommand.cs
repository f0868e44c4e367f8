using System.CommandLine;
using Keel.Client;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel monitor list [--json]</c></summary>
internal sealed class MonitorListCommand : KeelCommand
{
    public MonitorListCommand()
        : base("list", "List monitors.")
    {
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var monitors = await client.Monitoring.ListAsync(cancellationToken);
        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(monitors);
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("Name", "Deployment", "Reference", "Window", "Created");
        foreach (var m in monitors)
        {
            table.AddRow(Markup.Escape(m.Name), Markup.Escape(m.Deployment), Markup.Escape(m.Reference),
                m.WindowKind == "count" ? $"every {m.WindowSize}" : TimeSpan.FromMilliseconds(m.WindowSize).ToString(), Formatting.Time(m.CreationTime));
        }

        output.Console.Write(table);
        return ExitCodes.Success;
    }
}
