using Keel.Core.Deployments;
using Keel.Core.Tracking;

namespace Keel.Core.Registry;

/// <summary>
/// Where a model version came from: the version, the run that produced it (null when it was registered from a
/// location outside any run), the Keel dataset versions that run logged as inputs, and the deployments serving it.
/// </summary>
internal sealed record ModelLineage(ModelVersion Version, LineageRun? Run, IReadOnlyList<LineageDataVersion> DataVersions, IReadOnlyList<ServingRole> Deployments);

/// <summary>
/// A Keel dataset version the run logged as an input (source <c>data:/NAME@VERSION</c>), resolved in the data store, so
/// <see cref="Digest"/> is the full manifest digest rather than the 32 characters MLflow's dataset record can hold.
/// </summary>
internal sealed record LineageDataVersion(string Name, long Version, string Digest, string Uri, string? Context);

/// <summary>The run behind a version, with what it was trained on and how it scored.</summary>
internal sealed record LineageRun(
    RunInfo Info,
    string? ExperimentName,
    string? User,
    IReadOnlyList<KeyValue> Params,
    IReadOnlyList<Metric> Metrics,
    IReadOnlyList<LineageDataset> Datasets);

/// <summary>A dataset input of the run; <see cref="Context"/> is its <c>mlflow.data.context</c> tag (training, evaluation, ...).</summary>
internal sealed record LineageDataset(string Name, string Digest, string SourceType, string Source, string? Context);

/// <summary>
/// A model card: what a reader needs to decide whether to use a version. Free-text parts are the version's
/// description and the <see cref="ModelCardTags"/>; the rest comes from the run and the registry's change log.
/// </summary>
internal sealed record ModelCard(
    ModelVersion Version,
    string? IntendedUse,
    string? Limitations,
    ModelSignature? Signature,
    LineageRun? Run,
    string? RegisteredBy,
    long? RegisteredAt,
    IReadOnlyList<VersionHistoryEntry> History);

/// <summary>The model-version tags a card reads its free text from; set them with the ordinary set-tag endpoint.</summary>
internal static class ModelCardTags
{
    public const string IntendedUse = "keel.card.intended_use";
    public const string Limitations = "keel.card.limitations";
}

/// <summary>An MLmodel signature: its input, output and parameter fields (empty when the block has none).</summary>
internal sealed record ModelSignature(IReadOnlyList<SignatureField> Inputs, IReadOnlyList<SignatureField> Outputs, IReadOnlyList<SignatureField> Params);

/// <summary>One field of a signature; <see cref="Type"/> is MLflow's type name, with a tensor's dtype and shape spelled out.</summary>
internal sealed record SignatureField(string? Name, string Type, bool Required);

/// <summary>
/// A stage transition or alias change that concerned a version, from the change log. For an alias moved to
/// another version, <see cref="Version"/> is where it went and <see cref="PreviousVersion"/> this one.
/// </summary>
internal sealed record VersionHistoryEntry(
    long Id, long Time, string Actor, string EventType, string? Alias, long? Version, long? PreviousVersion, string? FromStage, string? ToStage);
