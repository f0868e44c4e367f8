using System.CommandLine;

namespace Keel.Cli.Commands;

/// <summary><c>keel runs</c>: groups the verbs that work on runs.</summary>
internal sealed class RunsCommand : Command
{
    public RunsCommand()
        : base("runs", "Work with runs.")
    {
        Subcommands.Add(new RunsListCommand());
        Subcommands.Add(new RunsShowCommand());
    }
}
