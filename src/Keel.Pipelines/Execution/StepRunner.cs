using System.Globalization;
using Keel.Client;
using Keel.Pipelines.Spec;

namespace Keel.Pipelines.Execution;

/// <summary>
/// Runs one step as a tracked run nested under its pipeline run: resolves inputs, reuses a cached result or
/// executes the command with retries and a timeout, and records logs, outputs, environment and outcome.
/// It needs only the results of the steps it depends on, so a worker that claims a single step can drive it.
/// </summary>
internal sealed partial class StepRunner(PipelineContext context, EnvironmentRecord environment)
{
    private KeelClient Client => context.Client;

    public async Task<StepResult> RunAsync(StepSpec step, IReadOnlyDictionary<string, StepResult> upstream, CancellationToken cancellationToken)
    {
        if (step.Needs.Select(n => upstream[n]).FirstOrDefault(r => !r.Succeeded) is { } blocker)
        {
            var why = blocker.State == StepState.Failed ? "failed" : "was skipped";
            return await SkipAsync(step, $"step '{blocker.Step}' {why}", cancellationToken);
        }

        var parameters = UsedParams(step);
        Dictionary<string, ResolvedInput> inputs;
        try
        {
            inputs = await ResolveInputsAsync(step, parameters, upstream, cancellationToken);
        }
        catch (Exception ex) when (ex is KeelApiException or IOException)
        {
            var run = await CreateRunAsync(step, null, parameters, cancellationToken);
            return await EndAsync(step, run, StepState.Failed, null, $"could not resolve its inputs: {ex.Message}", null);
        }

        var key = CacheKey.Compute(step, parameters, inputs.ToDictionary(i => i.Key, i => i.Value.Digest));

        if (step.When is { } condition)
        {
            bool holds;
            try
            {
                holds = condition.Evaluate(await ConditionValuesAsync(step, upstream, cancellationToken));
            }
            catch (InvalidOperationException ex)
            {
                var run = await CreateRunAsync(step, key, parameters, cancellationToken);
                return await EndAsync(step, run, StepState.Failed, null, ex.Message, null);
            }

            if (!holds)
            {
                return await SkipAsync(step, $"condition '{condition.Text}' is false", cancellationToken);
            }
        }

        var runId = await CreateRunAsync(step, key, parameters, cancellationToken);
        try
        {
            if (!context.Force && await FindCachedAsync(key, runId, cancellationToken) is { } original)
            {
                return await ReuseAsync(step, runId, original, cancellationToken);
            }

            return await ExecuteAsync(step, runId, parameters, inputs, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Client.SetTagAsync(runId, StepTags.Status, "CANCELLED", CancellationToken.None);
            await Client.UpdateRunAsync(runId, RunStatus.Killed, Now(), cancellationToken: CancellationToken.None);
            throw;
        }
        catch (Exception ex) when (ex is KeelApiException or IOException or UnauthorizedAccessException)
        {
            // A dataset that cannot be fetched or an output that cannot be read or stored fails this step only.
            return await EndAsync(step, runId, StepState.Failed, null, $"keel could not complete the step: {ex.Message}", null);
        }
    }

    private async Task<StepResult> ExecuteAsync(
        StepSpec step,
        string runId,
        Dictionary<string, string> parameters,
        IReadOnlyDictionary<string, ResolvedInput> inputs,
        CancellationToken cancellationToken)
    {
        var workDirectory = context.StepDirectory(step.Name);
        var logDirectory = context.LogDirectory(step.Name);
        Directory.CreateDirectory(workDirectory);
        Directory.CreateDirectory(logDirectory);
        await FetchDataInputsAsync(runId, inputs, cancellationToken);

        var outputs = step.Outputs.ToDictionary(o => o.Key, o => Path.GetFullPath(o.Value, workDirectory));
        var values = Values(parameters, inputs, outputs);
        var argv = step.Command.Select(part => Templates.Expand(part, values)).ToList();
        var env = new Dictionary<string, string>
        {
            ["MLFLOW_TRACKING_URI"] = context.TrackingUri,
            ["MLFLOW_RUN_ID"] = runId,
            ["MLFLOW_EXPERIMENT_ID"] = context.ExperimentId,
            ["KEEL_STEP_NAME"] = step.Name,
            ["KEEL_PIPELINE_RUN_ID"] = context.PipelineRunId,
            ["KEEL_STEP_DIR"] = workDirectory,
        };
        foreach (var (name, path) in outputs)
        {
            env[$"KEEL_OUTPUT_{Templates.EnvName(name)}"] = path;
        }

        foreach (var (name, input) in inputs)
        {
            env[$"KEEL_INPUT_{Templates.EnvName(name)}"] = input.Path;
        }

        foreach (var (name, value) in step.Env)
        {
            env[name] = Templates.Expand(value, values);
        }

        await Client.UploadArtifactAsync(runId, await environment.WriteAsync(step.UsesPython, logDirectory, cancellationToken), null, cancellationToken);

        ProcessOutcome outcome;
        var attempt = 0;
        var stdoutPath = Path.Combine(logDirectory, "stdout.txt");
        var stderrPath = Path.Combine(logDirectory, "stderr.txt");
        await using (var stdout = File.Create(stdoutPath))
        await using (var stderr = File.Create(stderrPath))
        {
            while (true)
            {
                attempt++;
                if (step.Retries > 0)
                {
                    var banner = System.Text.Encoding.UTF8.GetBytes($"--- keel: attempt {attempt} of {step.Retries + 1} ---\n");
                    await stdout.WriteAsync(banner, cancellationToken);
                    await stderr.WriteAsync(banner, cancellationToken);
                }

                outcome = await StepProcess.RunAsync(argv, context.Spec.Directory, env, stdout, stderr, step.Timeout, cancellationToken);
                if ((outcome.ExitCode == 0 && !outcome.TimedOut) || attempt > step.Retries)
                {
                    break;
                }
            }
        }

        await Client.UploadArtifactAsync(runId, stdoutPath, "logs", CancellationToken.None);
        await Client.UploadArtifactAsync(runId, stderrPath, "logs", CancellationToken.None);
        await Client.LogBatchAsync(
            runId,
            [
                new Metric("keel.exit_code", outcome.ExitCode, Now()),
                new Metric("keel.duration_s", outcome.Duration.TotalSeconds, Now()),
                new Metric("keel.attempts", attempt, Now()),
            ],
            [],
            outcome.TimedOut ? [new Tag(StepTags.TimedOut, "true")] : [],
            CancellationToken.None);

        if (outcome.TimedOut)
        {
            var limit = step.Timeout!.Value;
            return await EndAsync(step, runId, StepState.Failed, null, $"timed out after {limit.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s; its process tree was killed", outcome.Duration);
        }

        if (outcome.ExitCode != 0)
        {
            return await EndAsync(step, runId, StepState.Failed, null, $"exited with code {outcome.ExitCode}", outcome.Duration);
        }

        var missing = outputs.Where(o => !File.Exists(o.Value) && !Directory.Exists(o.Value)).Select(o => $"'{o.Key}' ({step.Outputs[o.Key]})").ToList();
        if (missing.Count > 0)
        {
            return await EndAsync(step, runId, StepState.Failed, null, $"did not write its declared output {string.Join(", ", missing)}", outcome.Duration);
        }

        var recorded = await UploadOutputsAsync(runId, outputs, cancellationToken);
        return await EndAsync(step, runId, StepState.Finished, recorded, null, outcome.Duration);
    }

    private async Task<StepResult> SkipAsync(StepSpec step, string reason, CancellationToken cancellationToken)
    {
        var run = await Client.CreateRunAsync(context.ExperimentId, step.Name, tags: BaseTags(step), cancellationToken: cancellationToken);
        await Client.SetTagAsync(run.Info.RunId, StepTags.SkippedBecause, reason, cancellationToken);
        return await EndAsync(step, run.Info.RunId, StepState.Skipped, null, reason, null);
    }

    private async Task<string> CreateRunAsync(StepSpec step, string? key, Dictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        var tags = BaseTags(step);
        if (key is not null)
        {
            tags[StepTags.CacheKey] = key;
        }

        var run = await Client.CreateRunAsync(context.ExperimentId, step.Name, tags: tags, cancellationToken: cancellationToken);
        if (parameters.Count > 0)
        {
            await Client.LogBatchAsync(run.Info.RunId, [], parameters.Select(p => new Param(p.Key, p.Value)), [], cancellationToken);
        }

        return run.Info.RunId;
    }

    private Dictionary<string, string> BaseTags(StepSpec step) => new()
    {
        [StepTags.ParentRun] = context.PipelineRunId,
        [StepTags.Pipeline] = context.Spec.Name,
        [StepTags.PipelineRun] = context.PipelineRunId,
        [StepTags.Step] = step.Name,
    };

    // Records the end in the run; cancellation no longer applies, so a Ctrl+C does not leave a run RUNNING.
    private async Task<StepResult> EndAsync(
        StepSpec step,
        string runId,
        StepState state,
        IReadOnlyDictionary<string, (string Path, string Digest)>? outputs,
        string? reason,
        TimeSpan? duration)
    {
        var status = state switch
        {
            StepState.Failed => RunStatus.Failed,
            StepState.Skipped => RunStatus.Killed,
            _ => RunStatus.Finished,
        };
        var tags = new List<Tag> { new(StepTags.Status, state switch
        {
            StepState.CacheHit => "CACHED",
            _ => state.ToString().ToUpperInvariant(),
        }) };
        if (state == StepState.Failed && reason is not null)
        {
            tags.Add(new Tag(StepTags.Error, reason));
        }

        await Client.LogBatchAsync(runId, [], [], tags, CancellationToken.None);
        await Client.UpdateRunAsync(runId, status, Now(), cancellationToken: CancellationToken.None);
        return new StepResult(step.Name, state, runId, outputs ?? new Dictionary<string, (string Path, string Digest)>(), reason, duration);
    }

    // Only the params a step refers to are part of it: changing an unrelated param must not invalidate its cache.
    private Dictionary<string, string> UsedParams(StepSpec step)
    {
        var texts = step.Command.Concat(step.Env.Values).Concat(step.Inputs.Select(i => i.Source));
        var names = texts.SelectMany(Templates.References).Where(r => r.Kind == "params").Select(r => r.Name)
            .Concat(step.When?.References.Where(r => r.StartsWith("params.", StringComparison.Ordinal)).Select(r => r["params.".Length..]) ?? []);
        return names.Distinct().Order(StringComparer.Ordinal).ToDictionary(n => n, n => context.Spec.Params[n]);
    }

    private static Dictionary<string, string> Values(
        Dictionary<string, string> parameters, IReadOnlyDictionary<string, ResolvedInput> inputs, IReadOnlyDictionary<string, string> outputs) =>
        parameters.Select(p => ($"params.{p.Key}", p.Value))
            .Concat(inputs.Select(i => ($"inputs.{i.Key}", i.Value.Path)))
            .Concat(outputs.Select(o => ($"outputs.{o.Key}", o.Value)))
            .ToDictionary(v => v.Item1, v => v.Item2);

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
