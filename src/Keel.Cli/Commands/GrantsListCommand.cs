using System.CommandLine;
using Keel.Client;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel grants list [--user NAME] [--type TYPE] [--json]</c></summary>
internal sealed class GrantsListCommand : KeelCommand
{
    private static readonly Option<string?> User = new("--user") { Description = "Only this user's grants (admins; others always see their own)." };

    private static readonly Option<string?> Type = new("--type") { Description = "Only experiment, registered_model or deployment grants." };

    public GrantsListCommand()
        : base("list", "List grants: all of them for an admin, else your own.")
    {
        Options.Add(User);
        Options.Add(Type);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var grants = await client.Auth.ListGrantsAsync(parseResult.GetValue(User), parseResult.GetValue(Type), cancellationToken);
        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(grants);
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("Type", "Resource", "User", "Role", "Granted");
        foreach (var g in grants)
        {
            table.AddRow(Markup.Escape(g.ResourceType), Markup.Escape(g.Resource), Markup.Escape(g.User), Markup.Escape(g.Role), Formatting.Time(g.CreationTime));
        }

        output.Console.Write(table);
        return ExitCodes.Success;
    }
}
