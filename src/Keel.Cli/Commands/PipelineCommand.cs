using System.CommandLine;
using Keel.Pipelines.Spec;

namespace Keel.Cli.Commands;

/// <summary><c>keel pipeline</c>: groups the verbs that check and run <c>keel.yaml</c> pipelines.</summary>
internal sealed class PipelineCommand : Command
{
    public PipelineCommand()
        : base("pipeline", "Validate and run pipelines declared in keel.yaml: steps in any language, tracked as nested runs, with caching.")
    {
        Subcommands.Add(new PipelineValidateCommand());
        Subcommands.Add(new PipelineRunCommand());
    }

    internal static readonly Argument<string> SpecArgument = new("SPEC")
    {
        Description = "The pipeline spec, e.g. keel.yaml.",
        DefaultValueFactory = _ => "keel.yaml",
    };

    /// <summary>Reads the spec, or prints every error and returns null with the exit code to use.</summary>
    internal static (PipelineSpec? Spec, int ExitCode) Read(string file, IReadOnlyDictionary<string, string>? overrides, CliOutput output)
    {
        if (!File.Exists(file))
        {
            output.Error($"There is no pipeline spec at '{file}'.");
            return (null, ExitCodes.InvalidArguments);
        }

        try
        {
            return (PipelineSpecReader.Read(file, overrides), ExitCodes.Success);
        }
        catch (PipelineSpecException ex)
        {
            foreach (var error in ex.Errors)
            {
                output.Error(error.Format(file));
            }

            output.Error($"{file} is not a valid pipeline: {ex.Errors.Count} error(s).");
            return (null, ExitCodes.InvalidPipeline);
        }
    }
}
