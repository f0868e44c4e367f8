using System.CommandLine;

namespace Keel.Cli.Commands;

/// <summary><c>keel grants</c>: a user's role on one experiment, registered model or deployment, over their workspace role.</summary>
internal sealed class GrantsCommand : Command
{
    public GrantsCommand()
        : base("grants", "Manage per-resource roles on a server started with --auth.")
    {
        Subcommands.Add(new GrantsListCommand());
        Subcommands.Add(new GrantsSetCommand());
        Subcommands.Add(new GrantsRemoveCommand());
    }

    internal static readonly Argument<string> Type = new("TYPE") { Description = "experiment, registered_model or deployment." };

    internal static readonly Argument<string> Resource = new("RESOURCE") { Description = "The experiment's id, or the model's or deployment's name." };

    internal static readonly Argument<string> User = new("USER") { Description = "The user name." };
}
