namespace Keel.Pipelines.Spec;

/// <summary>A parsed <c>keel.yaml</c>: the pipeline's name, its parameters with their defaults, and its steps.</summary>
/// <param name="Directory">The folder the spec lives in: file inputs and step working directories are relative to it.</param>
internal sealed record PipelineSpec(
    string Name,
    string File,
    string Directory,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyList<StepSpec> Steps);

/// <summary>One step of a pipeline, as written: templates such as <c>${params.x}</c> are resolved when it runs.</summary>
/// <param name="Command">The argv; a string command becomes <c>/bin/sh -c STRING</c>.</param>
/// <param name="Needs">Steps that must finish first: those named in <c>needs</c> plus those whose outputs or metrics it uses.</param>
/// <param name="Outputs">Output name to a path relative to the step's work directory.</param>
internal sealed record StepSpec(
    string Name,
    int Line,
    IReadOnlyList<string> Command,
    IReadOnlyList<string> Needs,
    IReadOnlyList<StepInput> Inputs,
    IReadOnlyDictionary<string, string> Outputs,
    IReadOnlyDictionary<string, string> Env,
    int Retries,
    TimeSpan? Timeout,
    StepCondition? When)
{
    /// <summary>Whether the command runs Python, so its environment record includes the interpreter and packages.</summary>
    public bool UsesPython => Command.Any(part => part.Contains("python", StringComparison.Ordinal));
}

/// <summary>A declared input: a dataset version, a file or glob, or another step's output.</summary>
/// <param name="Source">As written: <c>data:/NAME@V</c>, <c>steps.S.outputs.O</c> or a path relative to the spec.</param>
internal sealed record StepInput(string Name, string Source, int Line)
{
    public const string DataPrefix = "data:/";

    /// <summary>The step and output a <c>steps.S.outputs.O</c> source names; null for other sources.</summary>
    public (string Step, string Output)? Upstream =>
        Source.Split('.') is ["steps", var step, "outputs", var output] ? (step, output) : null;

    public bool IsData => Source.StartsWith(DataPrefix, StringComparison.Ordinal);
}

/// <summary>A validation error at a place in the spec (1-based line and column).</summary>
internal sealed record SpecError(int Line, int Column, string Message)
{
    public string Format(string file) => $"{file}:{Line}:{Column}: {Message}";
}

/// <summary>The spec could not be read or is invalid; <see cref="Errors"/> lists every problem found.</summary>
internal sealed class PipelineSpecException(string file, IReadOnlyList<SpecError> errors)
    : Exception(string.Join(Environment.NewLine, errors.Select(e => e.Format(file))))
{
    public IReadOnlyList<SpecError> Errors { get; } = errors;
}
