using Keel.Client;
using Keel.Pipelines.Spec;

namespace Keel.Pipelines.Execution;

/// <summary>What every step of one pipeline run shares.</summary>
/// <param name="WorkDirectory">This pipeline run's folder; each step writes its outputs under a subfolder named after it.</param>
/// <param name="DataCacheDirectory">Dataset versions fetched for inputs, by digest, shared across runs.</param>
internal sealed record PipelineContext(
    KeelClient Client,
    PipelineSpec Spec,
    string ExperimentId,
    string PipelineRunId,
    string WorkDirectory,
    string DataCacheDirectory,
    bool Force)
{
    public string TrackingUri => Client.BaseAddress.ToString().TrimEnd('/');

    public string StepDirectory(string step) => Path.Combine(WorkDirectory, step);

    public string LogDirectory(string step) => Path.Combine(WorkDirectory, ".logs", step);
}
