using System.Text.Json;
using System.Text.Json.Serialization;
using Keel.Core.Deployments;
using Keel.Core.Registry;
using Keel.Core.Tracking;
using Keel.Server.Mlflow;

namespace Keel.Server.Endpoints;

// Responses of Keel's lineage and model-card routes. Keel's own JSON: snake_case like MLflow's, but every field
// is always present (null, or [] for an empty list), so clients can rely on the shape, e.g. "run": null for a
// version registered from outside any run. Dataset version numbers are JSON numbers, as in the data routes.

internal sealed record LineageMessage(
    ModelVersionMessage ModelVersion, LineageRunMessage? Run, IReadOnlyList<LineageDataVersionMessage> DataVersions,
    IReadOnlyList<LineageDeploymentMessage> Deployments);

/// <summary>A deployment serving the version: its latest revision, the role (primary, canary, shadow) and the share of traffic.</summary>
internal sealed record LineageDeploymentMessage(string Name, long Revision, string Status, string Role, long? Percent);

internal sealed record LineageDataVersionMessage(string Name, long Version, string Digest, string Uri, string? Context);

internal sealed record LineageRunMessage(
    string RunId, string RunName, string ExperimentId, string? ExperimentName, string Status, long StartTime, long? EndTime, string? User,
    string LifecycleStage, string ArtifactUri, IReadOnlyList<KeyValueMessage> Params, IReadOnlyList<MetricResponse> Metrics,
    IReadOnlyList<LineageDatasetMessage> Datasets);

internal sealed record LineageDatasetMessage(string Name, string Digest, string SourceType, string Source, string? Context);

internal sealed record ModelCardMessage(
    string Name, string Version, string? Description, string CurrentStage, IReadOnlyList<string> Aliases, string Source, string? RunId,
    IReadOnlyList<KeyValueMessage> Tags, string? RegisteredBy, long? RegisteredAt, string? IntendedUse, string? Limitations,
    SignatureMessage? Signature, LineageRunMessage? Run, IReadOnlyList<LineageDatasetMessage> TrainingData,
    IReadOnlyList<MetricResponse> Metrics, IReadOnlyList<KeyValueMessage> Params, IReadOnlyList<HistoryMessage> History);

internal sealed record SignatureMessage(IReadOnlyList<SignatureField> Inputs, IReadOnlyList<SignatureField> Outputs, IReadOnlyList<SignatureField> Params);

internal sealed record HistoryMessage(
    long Id, long Time, string Actor, string EventType, string Change, string? Alias, string? Version, string? PreviousVersion,
    string? FromStage, string? ToStage);

internal static class LineageMessageMapping
{
    /// <summary>Keel's JSON: snake_case, nulls and empty lists written out, NaN and infinities as proto-JSON strings.</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static LineageMessage ToMessage(this ModelLineage lineage) =>
        new(lineage.Version.ToMessage(), lineage.Run?.ToMessage(),
            lineage.DataVersions.Select(ToMessage).ToList(), lineage.Deployments.Select(ToMessage).ToList());

    public static LineageDataVersionMessage ToMessage(this LineageDataVersion d) => new(d.Name, d.Version, d.Digest, d.Uri, d.Context);

    public static LineageDeploymentMessage ToMessage(this ServingRole r) =>
        new(r.Deployment.Name, r.Deployment.Latest.Revision, r.Deployment.Latest.Status, r.Role, r.Percent);

    public static ModelCardMessage ToMessage(this ModelCard card)
    {
        var v = card.Version;
        var run = card.Run?.ToMessage();
        return new ModelCardMessage(
            v.Name, v.Version.ToString(), v.Description, v.CurrentStage, v.Aliases, v.Source, v.RunId,
            v.Tags.Select(t => new KeyValueMessage(t.Key, t.Value)).ToList(), card.RegisteredBy, card.RegisteredAt, card.IntendedUse, card.Limitations,
            card.Signature is { } s ? new SignatureMessage(s.Inputs, s.Outputs, s.Params) : null,
            run, run?.Datasets ?? [], run?.Metrics ?? [], run?.Params ?? [],
            card.History.Select(h => new HistoryMessage(
                h.Id, h.Time, h.Actor, h.EventType, ModelCardMarkdown.Change(h, v.Version), h.Alias, h.Version?.ToString(), h.PreviousVersion?.ToString(),
                h.FromStage, h.ToStage)).ToList());
    }

    public static LineageRunMessage ToMessage(this LineageRun run)
    {
        var info = run.Info;
        return new LineageRunMessage(
            info.RunId, info.RunName, info.ExperimentId.ToString(), run.ExperimentName, info.Status, info.StartTime, info.EndTime, run.User,
            info.LifecycleStage == LifecycleStage.Deleted ? TrackingStore.Deleted : TrackingStore.Active, info.ArtifactUri,
            run.Params.Select(p => new KeyValueMessage(p.Key, p.Value)).ToList(),
            run.Metrics.Select(m => new MetricResponse(m.Key, m.Value, m.Timestamp, m.Step)).ToList(),
            run.Datasets.Select(d => new LineageDatasetMessage(d.Name, d.Digest, d.SourceType, d.Source, d.Context)).ToList());
    }
}
