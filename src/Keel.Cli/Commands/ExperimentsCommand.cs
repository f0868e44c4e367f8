using System.CommandLine;

namespace Keel.Cli.Commands;

/// <summary><c>keel experiments</c>: groups the verbs that work on experiments.</summary>
internal sealed class ExperimentsCommand : Command
{
    public ExperimentsCommand()
        : base("experiments", "Work with experiments.")
    {
        Subcommands.Add(new ExperimentsListCommand());
    }
}
