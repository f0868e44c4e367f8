using System.CommandLine;

namespace Keel.Cli.Commands;

/// <summary><c>keel models</c>: groups the verbs that work on registered models and their versions.</summary>
internal sealed class ModelsCommand : Command
{
    public ModelsCommand()
        : base("models", "Work with registered models: list, show, lineage, model cards and version diffs.")
    {
        Subcommands.Add(new ModelsListCommand());
        Subcommands.Add(new ModelsShowCommand());
        Subcommands.Add(new ModelsLineageCommand());
        Subcommands.Add(new ModelsCardCommand());
        Subcommands.Add(new ModelsDiffCommand());
    }
}
