using System.CommandLine;
using System.Text.Json;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel audit export --since TIME [--out FILE]</c>: every matching entry, one JSON object a line.</summary>
internal sealed class AuditExportCommand : KeelCommand
{
    private static readonly Option<string?> Out = new("--out")
    {
        Description = "Write the JSON Lines to FILE instead of standard output.",
        HelpName = "FILE",
    };

    private static readonly JsonSerializerOptions LineOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public AuditExportCommand()
        : base("export", "Export audit entries as JSON Lines (with their hashes, so a copy kept elsewhere can be compared later).")
    {
        Options.Add(AuditCommand.Since);
        AuditCommand.AddFilters(this);
        Options.Add(Out);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(parseResult.GetValue(AuditCommand.Since)))
        {
            output.Error("keel audit export needs --since TIME (an ISO 8601 time, or an age such as 24h or 7d).");
            return ExitCodes.InvalidArguments;
        }

        var query = AuditCommand.Query(parseResult, maxResults: 1000);
        var path = parseResult.GetValue(Out);
        var count = 0;
        await using (var writer = path is null ? null : new StreamWriter(path, append: false))
        {
            await foreach (var entry in client.Audit.ListAllAsync(query, cancellationToken))
            {
                var line = JsonSerializer.Serialize(entry, LineOptions);
                if (writer is null)
                {
                    output.Line(line);
                }
                else
                {
                    await writer.WriteLineAsync(line.AsMemory(), cancellationToken);
                }

                count++;
            }
        }

        if (path is not null)
        {
            output.Line($"Exported {count} audit entries to {path}.");
        }

        return ExitCodes.Success;
    }
}
