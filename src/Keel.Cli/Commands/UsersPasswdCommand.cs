using System.CommandLine;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel users passwd NAME &lt; password</c></summary>
internal sealed class UsersPasswdCommand : KeelCommand
{
    public UsersPasswdCommand()
        : base("passwd", "Set a user's password (your own, or anyone's as an admin); the new password is read from standard input.")
    {
        Arguments.Add(UsersCommand.NameArgument);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var name = parseResult.GetRequiredValue(UsersCommand.NameArgument);
        await client.Auth.SetPasswordAsync(name, UsersCommand.ReadPassword(), cancellationToken);
        output.Line($"Changed the password of {name}.");
        return ExitCodes.Success;
    }
}
