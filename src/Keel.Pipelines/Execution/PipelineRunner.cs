using Keel.Client;
using Keel.Pipelines.Spec;

namespace Keel.Pipelines.Execution;

/// <param name="Parallel">How many steps may run at once.</param>
/// <param name="WorkRoot">Where each pipeline run gets a folder for its steps' outputs and logs.</param>
/// <param name="Experiment">The experiment to record into; null uses one named after the pipeline.</param>
internal sealed record PipelineOptions(int Parallel, bool Force, string WorkRoot, string DataCacheDirectory, string? Experiment = null);

internal sealed record PipelineResult(string RunId, string ExperimentId, string WorkDirectory, RunStatus Status, IReadOnlyList<StepResult> Steps);

/// <summary>
/// Runs a pipeline here, in this process: the pipeline run is a tracked run and each step a nested one, started
/// as soon as its needs have ended, up to <see cref="PipelineOptions.Parallel"/> at once. A failed step skips its
/// dependants and the rest keep going.
/// </summary>
internal static class PipelineRunner
{
    public static async Task<PipelineResult> RunAsync(
        KeelClient client, PipelineSpec spec, PipelineOptions options, Action<StepResult> stepEnded, CancellationToken cancellationToken)
    {
        var experimentId = await ExperimentIdAsync(client, options.Experiment ?? spec.Name, cancellationToken);
        var run = await client.CreateRunAsync(experimentId, spec.Name, tags: new Dictionary<string, string>
        {
            [StepTags.Pipeline] = spec.Name,
            ["keel.pipeline.spec"] = Path.GetFileName(spec.File),
        }, cancellationToken: cancellationToken);
        var runId = run.Info.RunId;
        await client.LogBatchAsync(runId, [], spec.Params.Select(p => new Param(p.Key, p.Value)), [], cancellationToken);
        await client.UploadArtifactAsync(runId, spec.File, "pipeline", cancellationToken);

        var workDirectory = Path.Combine(options.WorkRoot, runId);
        var context = new PipelineContext(client, spec, experimentId, runId, workDirectory, options.DataCacheDirectory, options.Force);
        var runner = new StepRunner(context, new EnvironmentRecord());
        var results = new Dictionary<string, StepResult>();
        try
        {
            await ScheduleAsync(spec, runner, Math.Max(1, options.Parallel), results, stepEnded, cancellationToken);
        }
        catch
        {
            await client.UpdateRunAsync(runId, cancellationToken.IsCancellationRequested ? RunStatus.Killed : RunStatus.Failed, Now(), cancellationToken: CancellationToken.None);
            throw;
        }

        var steps = spec.Steps.Select(s => results[s.Name]).ToList();
        var status = steps.Any(s => s.State == StepState.Failed) ? RunStatus.Failed : RunStatus.Finished;
        var now = Now();
        await client.LogBatchAsync(
            runId,
            Enum.GetValues<StepState>().Select(state => new Metric($"keel.steps.{state.Label()}", steps.Count(s => s.State == state), now)),
            [],
            [],
            CancellationToken.None);
        await client.UpdateRunAsync(runId, status, now, cancellationToken: CancellationToken.None);
        return new PipelineResult(runId, experimentId, workDirectory, status, steps);
    }

    private static async Task ScheduleAsync(
        PipelineSpec spec, StepRunner runner, int parallel, Dictionary<string, StepResult> results, Action<StepResult> stepEnded, CancellationToken cancellationToken)
    {
        var pending = spec.Steps.ToList();
        var running = new Dictionary<Task<StepResult>, StepSpec>();
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (pending.Count > 0 || running.Count > 0)
        {
            foreach (var step in pending.Where(s => s.Needs.All(results.ContainsKey)).ToList())
            {
                // A step whose needs did not succeed only records that it was skipped, so the limit does not hold it back.
                var blocked = step.Needs.Any(n => !results[n].Succeeded);
                if (blocked || running.Count < parallel)
                {
                    pending.Remove(step);
                    running[runner.RunAsync(step, new Dictionary<string, StepResult>(results), abort.Token)] = step;
                }
            }

            var done = await Task.WhenAny(running.Keys);
            running.Remove(done);
            StepResult result;
            try
            {
                result = await done;
            }
            catch
            {
                // Stop the other steps (killing their processes) and let them record that before giving up.
                await abort.CancelAsync();
                await Task.WhenAll(running.Keys.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
                throw;
            }

            results[result.Step] = result;
            stepEnded(result);
        }
    }

    private static async Task<string> ExperimentIdAsync(KeelClient client, string name, CancellationToken cancellationToken)
    {
        try
        {
            return (await client.GetExperimentByNameAsync(name, cancellationToken)).ExperimentId;
        }
        catch (KeelApiException ex) when (ex.ErrorCode == KeelErrorCodes.ResourceDoesNotExist)
        {
            try
            {
                return await client.CreateExperimentAsync(name, cancellationToken: cancellationToken);
            }
            catch (KeelApiException again) when (again.ErrorCode == KeelErrorCodes.ResourceAlreadyExists)
            {
                // Another pipeline run created it meanwhile.
                return (await client.GetExperimentByNameAsync(name, cancellationToken)).ExperimentId;
            }
        }
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
