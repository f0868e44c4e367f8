using Keel.Client;
using Keel.Pipelines.Spec;

namespace Keel.Pipelines.Execution;

/// <summary>An input as the step sees it: a local path (<c>KEEL_INPUT_NAME</c>) and the digest of its content.</summary>
/// <param name="DataReference">For a dataset input, the version to fetch (NAME@VERSION) if the step executes.</param>
internal sealed record ResolvedInput(string Path, string Digest, string? DataReference = null);

// Inputs: where each one is, and what its content is, without fetching datasets unless the step executes.
internal sealed partial class StepRunner
{
    private async Task<Dictionary<string, ResolvedInput>> ResolveInputsAsync(
        StepSpec step, IReadOnlyDictionary<string, string> parameters, IReadOnlyDictionary<string, StepResult> upstream, CancellationToken cancellationToken)
    {
        var values = parameters.ToDictionary(p => $"params.{p.Key}", p => p.Value);
        var inputs = new Dictionary<string, ResolvedInput>();
        foreach (var input in step.Inputs)
        {
            var source = Templates.Expand(input.Source, values);
            if (input.Upstream is var (producer, output))
            {
                var (path, digest) = upstream[producer].Outputs[output];
                inputs[input.Name] = new ResolvedInput(path, digest);
            }
            else if (input.IsData)
            {
                var version = await Client.Data.GetVersionAsync(source[StepInput.DataPrefix.Length..], cancellationToken);
                inputs[input.Name] = new ResolvedInput(
                    Path.Combine(context.DataCacheDirectory, version.Digest), version.Digest, $"{version.Name}@{version.Version}");
            }
            else
            {
                var files = InputFiles.Match(context.Spec.Directory, source);
                if (files.Count == 0)
                {
                    throw new FileNotFoundException($"Step '{step.Name}': input '{input.Name}' ({source}) matches no file.");
                }

                // Paths relative to the spec take part in the digest: renaming an input file is a change.
                var digest = Digests.OfText(string.Join('\n', files.Select(f => $"{Path.GetRelativePath(context.Spec.Directory, f)}\0{Digests.OfFile(f)}")));
                var path = InputFiles.IsGlob(source) ? string.Join(Path.PathSeparator, files) : Path.GetFullPath(source, context.Spec.Directory);
                inputs[input.Name] = new ResolvedInput(path, digest);
            }
        }

        return inputs;
    }

    // Versions are fetched once per digest into a shared cache; a partial fetch never becomes visible there.
    private async Task FetchDataInputsAsync(string runId, IReadOnlyDictionary<string, ResolvedInput> inputs, CancellationToken cancellationToken)
    {
        foreach (var input in inputs.Values.Where(i => i.DataReference is not null))
        {
            if (!Directory.Exists(input.Path))
            {
                var partial = $"{input.Path}.partial-{Guid.NewGuid():N}";
                await Client.Data.GetAsync(input.DataReference!, partial, cancellationToken);
                try
                {
                    Directory.Move(partial, input.Path);
                }
                catch (IOException) when (Directory.Exists(input.Path))
                {
                    Directory.Delete(partial, recursive: true);
                }
            }

            await Client.Data.LogInputAsync(runId, input.DataReference!, "pipeline-step", cancellationToken);
        }
    }

    private async Task<Func<string, string?>> ConditionValuesAsync(
        StepSpec step, IReadOnlyDictionary<string, StepResult> upstream, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string>();
        foreach (var name in step.When!.Steps)
        {
            var run = await Client.GetRunAsync(upstream[name].RunId, cancellationToken);
            foreach (var metric in run.Data.Metrics)
            {
                values[$"steps.{name}.metrics.{metric.Key}"] = metric.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            }

            foreach (var param in run.Data.Params)
            {
                values[$"steps.{name}.params.{param.Key}"] = param.Value;
            }
        }

        foreach (var (name, value) in context.Spec.Params)
        {
            values[$"params.{name}"] = value;
        }

        return reference => values.GetValueOrDefault(reference);
    }
}
