using System.CommandLine;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel users set-role NAME ROLE</c></summary>
internal sealed class UsersSetRoleCommand : KeelCommand
{
    private static readonly Argument<string> Role = new("ROLE") { Description = "none, reader, editor, approver or admin." };

    public UsersSetRoleCommand()
        : base("set-role", "Set a user's workspace role (admins only); grants can override it per resource.")
    {
        Arguments.Add(UsersCommand.NameArgument);
        Arguments.Add(Role);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var user = await client.Auth.SetRoleAsync(parseResult.GetRequiredValue(UsersCommand.NameArgument), parseResult.GetRequiredValue(Role), cancellationToken);
        output.Line($"{user.Name} is now {user.Role} in the workspace.");
        return ExitCodes.Success;
    }
}
