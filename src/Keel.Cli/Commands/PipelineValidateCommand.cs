using System.CommandLine;

namespace Keel.Cli.Commands;

/// <summary><c>keel pipeline validate keel.yaml</c>: checks the spec without a server or running anything.</summary>
internal sealed class PipelineValidateCommand : Command
{
    public PipelineValidateCommand()
        : base("validate", "Check a pipeline spec: keys, commands, needs, input and output references, cycles, conditions.")
    {
        Arguments.Add(PipelineCommand.SpecArgument);
        SetAction(Execute);
    }

    private static int Execute(ParseResult parseResult)
    {
        var output = new CliOutput(parseResult.InvocationConfiguration);
        var file = parseResult.GetRequiredValue(PipelineCommand.SpecArgument);
        var (spec, exitCode) = PipelineCommand.Read(file, null, output);
        if (spec is null)
        {
            return exitCode;
        }

        output.Line($"{file} is valid: pipeline '{spec.Name}' with {spec.Steps.Count} step(s).");
        foreach (var step in spec.Steps)
        {
            output.Line(step.Needs.Count == 0 ? $"  {step.Name}" : $"  {step.Name} <- {string.Join(", ", step.Needs)}");
        }

        return ExitCodes.Success;
    }
}
