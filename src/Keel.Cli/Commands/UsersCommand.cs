using System.CommandLine;

namespace Keel.Cli.Commands;

/// <summary><c>keel users</c>: users of a server started with <c>--auth</c> (admins manage them; anyone may change their own password).</summary>
internal sealed class UsersCommand : Command
{
    public UsersCommand()
        : base("users", "Manage the users of a server started with --auth.")
    {
        Subcommands.Add(new UsersCreateCommand());
        Subcommands.Add(new UsersListCommand());
        Subcommands.Add(new UsersDeleteCommand());
        Subcommands.Add(new UsersPasswdCommand());
        Subcommands.Add(new UsersSetRoleCommand());
    }

    internal static readonly Argument<string> NameArgument = new("NAME") { Description = "The user name." };

    /// <summary>
    /// One line of standard input: a password on the command line would be in the shell history and the process list.
    /// </summary>
    internal static string ReadPassword() => Console.In.ReadLine()?.TrimEnd('\r') ?? "";
}
