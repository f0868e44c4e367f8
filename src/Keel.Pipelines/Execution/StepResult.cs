namespace Keel.Pipelines.Execution;

internal enum StepState
{
    Finished,
    CacheHit,
    Failed,
    Skipped,
}

internal static class StepStates
{
    /// <summary>The state's name in CLI output and in the pipeline run's <c>keel.steps.NAME</c> metrics.</summary>
    public static string Label(this StepState state) => state == StepState.CacheHit ? "cached" : state.ToString().ToLowerInvariant();
}

/// <summary>How a step ended, and what its dependants need from it.</summary>
/// <param name="Outputs">Output name to its local path and content digest.</param>
/// <param name="Reason">Why it failed or was skipped.</param>
internal sealed record StepResult(
    string Step,
    StepState State,
    string RunId,
    IReadOnlyDictionary<string, (string Path, string Digest)> Outputs,
    string? Reason = null,
    TimeSpan? Duration = null)
{
    public bool Succeeded => State is StepState.Finished or StepState.CacheHit;
}

/// <summary>The tags and artifact paths a step run carries; later slices (status, workers) read them back.</summary>
internal static class StepTags
{
    public const string Pipeline = "keel.pipeline";
    public const string PipelineRun = "keel.pipeline.run_id";
    public const string Step = "keel.step";
    public const string Status = "keel.step.status";
    public const string CacheKey = "keel.step.cache_key";
    public const string CacheHit = "keel.step.cache_hit";
    public const string SkippedBecause = "keel.step.skipped_because";
    public const string Error = "keel.step.error";
    public const string TimedOut = "keel.step.timed_out";
    public const string ParentRun = "mlflow.parentRunId";

    public static string OutputKind(string output) => $"keel.output.{output}.kind";

    public static string OutputDigest(string output) => $"keel.output.{output}.digest";

    public static string OutputArtifact(string output) => $"outputs/{output}";
}
