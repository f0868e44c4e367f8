using System.CommandLine;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel users create NAME [--admin] [--role ROLE] &lt; password</c></summary>
internal sealed class UsersCreateCommand : KeelCommand
{
    private static readonly Option<bool> Admin = new("--admin") { Description = "Let the user manage users." };

    private static readonly Option<string?> Role = new("--role")
    {
        Description = "The workspace role: none, reader (the default), editor, approver or admin.",
    };

    public UsersCreateCommand()
        : base("create", "Create a user; the password is read from standard input (at least 12 characters, not a common password).")
    {
        Arguments.Add(UsersCommand.NameArgument);
        Options.Add(Admin);
        Options.Add(Role);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var user = await client.Auth.CreateUserAsync(
            parseResult.GetRequiredValue(UsersCommand.NameArgument), UsersCommand.ReadPassword(), parseResult.GetValue(Admin), parseResult.GetValue(Role),
            cancellationToken);
        output.Line($"Created {(user.IsAdmin ? "admin" : "user")} {user.Name} ({user.Role}).");
        return ExitCodes.Success;
    }
}
