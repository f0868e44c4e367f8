using System.CommandLine;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel users delete NAME</c></summary>
internal sealed class UsersDeleteCommand : KeelCommand
{
    public UsersDeleteCommand()
        : base("delete", "Delete a user and their API tokens (admins only).")
    {
        Arguments.Add(UsersCommand.NameArgument);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var name = parseResult.GetRequiredValue(UsersCommand.NameArgument);
        await client.Auth.DeleteUserAsync(name, cancellationToken);
        output.Line($"Deleted {name}.");
        return ExitCodes.Success;
    }
}
