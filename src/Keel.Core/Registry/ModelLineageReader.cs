using System.Text.Json;
using System.Globalization;
using Keel.Core.Artifacts;
using Keel.Core.Data;
using Keel.Core.Deployments;
using Keel.Core.Tracking;

namespace Keel.Core.Registry;

/// <summary>
/// Joins a model version to the run that produced it, the data that run used and the registry's change log:
/// the read side of lineage and model cards. Reads only; nothing here is stored twice.
/// </summary>
internal sealed class ModelLineageReader(RegistryStore registry, TrackingStore tracking, IArtifactStore artifacts, DataStore data, DeploymentStore deployments)
{
    public const string DatasetContextTag = "mlflow.data.context";
    private const string MlmodelFile = "MLmodel";
    private const string DataUriPrefix = "data:/";

    public async Task<ModelLineage> GetLineageAsync(string? name, string? version, CancellationToken ct = default)
    {
        var modelVersion = await registry.GetModelVersionAsync(name, version, ct);
        var run = await ReadRunAsync(modelVersion.RunId, ct);
        var serving = DeploymentRoles.Serving(await deployments.ListAsync(null, ct), modelVersion.Name, modelVersion.Version);
        return new ModelLineage(modelVersion, run, await ReadDataVersionsAsync(run, ct), serving);
    }

    /// <summary>
    /// The run's <c>data:/NAME@VERSION</c> inputs as stored versions, in input order. <c>keel data rm</c> refuses a version
    /// a run logged, so one that cannot be found was logged by hand for data Keel never had; the run's datasets still show it.
    /// </summary>
    public async Task<IReadOnlyList<LineageDataVersion>> ReadDataVersionsAsync(LineageRun? run, CancellationToken ct)
    {
        var versions = new List<LineageDataVersion>();
        foreach (var input in run?.Datasets ?? [])
        {
            if (!input.Source.StartsWith(DataUriPrefix, StringComparison.Ordinal) || input.Source.LastIndexOf('@') is var at && at < DataUriPrefix.Length
                || !long.TryParse(input.Source.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                continue;
            }

            try
            {
                var stored = await data.GetVersionAsync(input.Source[DataUriPrefix.Length..at], input.Source[(at + 1)..], ct);
                if (versions.All(v => v.Uri != input.Source))
                {
                    versions.Add(new LineageDataVersion(stored.Name, stored.Version, stored.Digest, input.Source, input.Context));
                }
            }
            catch (KeelException e) when (e.ErrorCode is ErrorCodes.ResourceDoesNotExist or ErrorCodes.InvalidParameterValue)
            {
            }
        }

        return versions;
    }

    public async Task<ModelCard> GetCardAsync(string? name, string? version, CancellationToken ct = default)
    {
        var modelVersion = await registry.GetModelVersionAsync(name, version, ct);
        var run = await ReadRunAsync(modelVersion.RunId, ct);
        var signature = await ReadSignatureAsync(modelVersion.StorageLocation, ct)
            ?? (Tag(modelVersion, RegistryStore.InferredSignatureTag) is { } inferred ? CardSignature.FromInferredTag(inferred) : null);
        var events = await registry.ReadModelHistoryAsync(modelVersion.Name, ct);
        var created = events.LastOrDefault(e => e.EventType == RegistryEvents.ModelVersionCreated && e.Version == modelVersion.Version);
        return new ModelCard(
            modelVersion,
            Tag(modelVersion, ModelCardTags.IntendedUse),
            Tag(modelVersion, ModelCardTags.Limitations),
            signature,
            run,
            created?.Actor,
            created?.Time ?? modelVersion.CreationTimestamp,
            History(events, modelVersion.Version));
    }

    private static string? Tag(ModelVersion version, string key) => version.Tags.FirstOrDefault(t => t.Key == key)?.Value;

    /// <summary>The run, or null for a version without one or whose run is gone.</summary>
    private async Task<LineageRun?> ReadRunAsync(string? runId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(runId))
        {
            return null;
        }

        Run run;
        try
        {
            run = await tracking.GetRunAsync(runId, ct);
        }
        catch (KeelException e) when (e.ErrorCode is ErrorCodes.ResourceDoesNotExist or ErrorCodes.InvalidParameterValue)
        {
            return null;
        }

        string? experimentName = null;
        try
        {
            experimentName = (await tracking.GetExperimentAsync(run.Info.ExperimentId.ToString(), ct)).Name;
        }
        catch (KeelException e) when (e.ErrorCode == ErrorCodes.ResourceDoesNotExist)
        {
        }

        // MLflow deprecates runs.user_id in favour of the mlflow.user tag; older clients set only the column.
        var user = run.Tags.FirstOrDefault(t => t.Key == TrackingStore.UserTag)?.Value is { Length: > 0 } tagged ? tagged
            : string.IsNullOrEmpty(run.Info.UserId) ? null : run.Info.UserId;
        var datasets = run.Inputs.Select(i => new LineageDataset(
            i.Dataset.Name, i.Dataset.Digest, i.Dataset.SourceType, i.Dataset.Source,
            i.Tags.FirstOrDefault(t => t.Key == DatasetContextTag)?.Value)).ToList();
        return new LineageRun(run.Info, experimentName, user, run.Params, run.Metrics, datasets);
    }

    /// <summary>The MLmodel signature when the version's files are in this server's artifact store and have one.</summary>
    private async Task<ModelSignature?> ReadSignatureAsync(string storageLocation, CancellationToken ct)
    {
        if (ArtifactUris.ProxyPath(storageLocation) is not { } directory)
        {
            return null;
        }

        try
        {
            var path = ArtifactPath.Normalize(directory.Length == 0 ? MlmodelFile : $"{directory}/{MlmodelFile}");
            await using var stream = await artifacts.OpenReadAsync(path, ct);
            using var reader = new StreamReader(stream);
            return CardSignature.FromMLmodel(await reader.ReadToEndAsync(ct));
        }
        catch (KeelException e) when (e.ErrorCode is ErrorCodes.ResourceDoesNotExist or ErrorCodes.InvalidParameterValue)
        {
            return null;
        }
        catch (FormatException)
        {
            // A card is still useful without the signature of a malformed MLmodel; the file itself says what is wrong.
            return null;
        }
    }

    /// <summary>Stage transitions and alias changes of this version, oldest first, including aliases moved away from it.</summary>
    private static List<VersionHistoryEntry> History(IReadOnlyList<RegistryEvent> events, long version)
    {
        var history = new List<VersionHistoryEntry>();
        foreach (var e in events)
        {
            if (e.EventType is not (RegistryEvents.ModelVersionAliasCreated or RegistryEvents.ModelVersionAliasDeleted
                or RegistryEvents.ModelVersionTransitionedStage))
            {
                continue;
            }

            using var payload = JsonDocument.Parse(e.Payload);
            var root = payload.RootElement;
            var previous = Long(root, "previous_version");
            if (e.Version != version && previous != version)
            {
                continue;
            }

            history.Add(new VersionHistoryEntry(
                e.Id, e.Time, e.Actor, e.EventType, String(root, "alias"), e.Version, previous, String(root, "from_stage"), String(root, "to_stage")));
        }

        return history;
    }

    private static string? String(JsonElement root, string key) =>
        root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Long(JsonElement root, string key) => long.TryParse(String(root, key), out var value) ? value : null;
}
