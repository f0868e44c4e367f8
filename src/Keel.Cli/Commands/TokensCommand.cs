using System.CommandLine;

namespace Keel.Cli.Commands;

/// <summary><c>keel tokens</c>: the authenticated user's API tokens.</summary>
internal sealed class TokensCommand : Command
{
    public TokensCommand()
        : base("tokens", "Manage your API tokens on a server started with --auth (use one as MLFLOW_TRACKING_TOKEN).")
    {
        Subcommands.Add(new TokensCreateCommand());
        Subcommands.Add(new TokensListCommand());
        Subcommands.Add(new TokensRevokeCommand());
    }
}
