using System.CommandLine;
using Keel.Client;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel users list [--json]</c></summary>
internal sealed class UsersListCommand : KeelCommand
{
    public UsersListCommand()
        : base("list", "List users (admins only).")
    {
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var users = await client.Auth.ListUsersAsync(cancellationToken);
        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(users);
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("Name", "Admin", "Role", "Created");
        foreach (var u in users)
        {
            table.AddRow(Markup.Escape(u.Name), u.IsAdmin ? "yes" : "no", Markup.Escape(u.Role), Formatting.Time(u.CreationTime));
        }

        output.Console.Write(table);
        return ExitCodes.Success;
    }
}
