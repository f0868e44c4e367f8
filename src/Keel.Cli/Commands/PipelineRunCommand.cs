using System.CommandLine;
using System.Globalization;
using Keel.Client;
using Keel.Pipelines.Execution;

namespace Keel.Cli.Commands;

/// <summary><c>keel pipeline run keel.yaml [-p k=v] [--force] [--parallel N]</c>: runs the steps here, tracked on the server.</summary>
internal sealed class PipelineRunCommand : KeelCommand
{
    private static readonly Option<string[]> ParamOption = new("--param", "-p")
    {
        Description = "NAME=VALUE overriding a param's default (repeatable).",
        HelpName = "NAME=VALUE",
        AllowMultipleArgumentsPerToken = false,
    };

    private static readonly Option<bool> ForceOption = new("--force") { Description = "Run every step even if a cached result exists." };

    private static readonly Option<int> ParallelOption = new("--parallel")
    {
        Description = "How many independent steps may run at once.",
        DefaultValueFactory = _ => 2,
    };

    private static readonly Option<string?> ExperimentOption = new("--experiment", "-e")
    {
        Description = "The experiment to record the runs in; defaults to the pipeline's name (created if missing).",
    };

    private static readonly Option<string?> WorkDirOption = new("--work-dir")
    {
        Description = "Where step outputs and logs go; defaults to .keel/work next to the spec.",
        HelpName = "DIR",
    };

    public PipelineRunCommand()
        : base("run", "Run a pipeline: each step a nested run with its logs, outputs and environment; unchanged steps reuse cached results.")
    {
        Arguments.Add(PipelineCommand.SpecArgument);
        Options.Add(ParamOption);
        Options.Add(ForceOption);
        Options.Add(ParallelOption);
        Options.Add(ExperimentOption);
        Options.Add(WorkDirOption);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var overrides = new Dictionary<string, string>();
        foreach (var pair in parseResult.GetValue(ParamOption) ?? [])
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                output.Error($"-p '{pair}' is not NAME=VALUE.");
                return ExitCodes.InvalidArguments;
            }

            overrides[pair[..equals]] = pair[(equals + 1)..];
        }

        var parallel = parseResult.GetValue(ParallelOption);
        if (parallel < 1)
        {
            output.Error("--parallel must be at least 1.");
            return ExitCodes.InvalidArguments;
        }

        var file = parseResult.GetRequiredValue(PipelineCommand.SpecArgument);
        var (spec, exitCode) = PipelineCommand.Read(file, overrides, output);
        if (spec is null)
        {
            return exitCode;
        }

        var keelDirectory = Path.Combine(spec.Directory, ".keel");
        var options = new PipelineOptions(
            parallel,
            parseResult.GetValue(ForceOption),
            Path.GetFullPath(parseResult.GetValue(WorkDirOption) ?? Path.Combine(keelDirectory, "work")),
            Path.Combine(keelDirectory, "data"),
            parseResult.GetValue(ExperimentOption));

        var result = await PipelineRunner.RunAsync(client, spec, options, step => output.Line(Describe(step)), cancellationToken);
        var counts = string.Join(", ", Enum.GetValues<StepState>().Select(s => $"{result.Steps.Count(r => r.State == s)} {s.Label()}"));
        output.Line($"Pipeline run {result.RunId} {result.Status.ToString().ToUpperInvariant()}: {counts}. Outputs and logs: {result.WorkDirectory}");
        return result.Status == RunStatus.Finished ? ExitCodes.Success : ExitCodes.PipelineFailed;
    }

    private static string Describe(StepResult step)
    {
        var duration = step.Duration is { } d ? string.Create(CultureInfo.InvariantCulture, $" in {d.TotalSeconds:0.0}s") : "";
        var reason = step.Reason is null ? "" : $": {step.Reason}";
        return $"  {step.Step}: {step.State.Label()}{duration}{reason} (run {step.RunId})";
    }
}
