using System.CommandLine;

namespace Keel.Cli.Commands;

/// <summary><c>keel gate</c>: groups the verbs that check evaluation results against a gate file.</summary>
internal sealed class GateCommand : Command
{
    public GateCommand()
        : base("gate", "Check a run's evaluation results against a gate file, and record the result on a model version.")
    {
        Subcommands.Add(new GateCheckCommand());
    }
}
