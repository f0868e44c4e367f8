using System.Text.RegularExpressions;
using Keel.Core.Artifacts;
using Keel.Core.Tracking;

namespace Keel.Core.Registry;

internal sealed partial class RegistryStore
{
    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.\-]+:")]
    private static partial Regex UriScheme();

    /// <summary>
    /// The artifact location a model or run URI names: <c>models:/</c> URIs resolve to the version's storage
    /// location, <c>runs:/</c> to a path under the run's artifact root, <c>mlflow-artifacts:/</c> stays as it is
    /// (normalised). Locations in other stores (s3://, ...) are returned unchanged.
    /// </summary>
    public async Task<string> ResolveArtifactUriAsync(string uri, CancellationToken ct = default)
    {
        switch (ModelUri.Parse(uri))
        {
            case ModelUri.Proxied proxied:
                return ArtifactUris.Scheme + proxied.Path;
            case ModelUri.RunArtifact run:
                return await RunArtifactUriAsync(run.RunId, run.Path, ct);
            case ModelUri.ModelVersion version:
                return (await GetModelVersionAsync(version.Name, version.Version.ToString(), ct)).StorageLocation;
            case ModelUri.ModelAlias alias:
                return (await GetModelVersionByAliasAsync(alias.Name, alias.Alias, ct)).StorageLocation;
            case ModelUri.ModelStage stage:
                var latest = await GetLatestVersionsAsync(stage.Name, stage.Stage is null ? null : [stage.Stage], ct);
                return latest.MaxBy(v => v.Version)?.StorageLocation ?? throw KeelException.NotFound(
                    $"No versions of model with name '{stage.Name}'{(stage.Stage is null ? "" : $" and stage '{stage.Stage}'")} found");
            default:
                return uri;
        }
    }

    /// <summary>
    /// Where a new version's files are, and the run it comes from. Accepts what MLflow clients send: a
    /// <c>runs:/</c> URI (older clients), the run's resolved <c>mlflow-artifacts:/</c> location (newer clients),
    /// a <c>models:/</c> URI (copying another version), a path relative to the run's artifact root when run_id is
    /// given, or a location in another store. Local file paths are refused: the server cannot serve them.
    /// </summary>
    private async Task<(string StorageLocation, string? RunId)> ResolveSourceAsync(string source, string? runId, CancellationToken ct)
    {
        var parsed = ModelUri.Parse(source);
        if (parsed is ModelUri.RunArtifact run)
        {
            if (runId is not null && runId != run.RunId)
            {
                throw KeelException.InvalidParameter(
                    $"Invalid model version source: '{source}' names run {run.RunId}, but run_id is '{runId}'.");
            }

            return (await RunArtifactUriAsync(run.RunId, run.Path, ct), run.RunId);
        }

        if (parsed is not null)
        {
            return (await ResolveArtifactUriAsync(source, ct), runId);
        }

        var scheme = UriScheme().Match(source);
        if (scheme.Success && !scheme.Value.Equals("file:", StringComparison.OrdinalIgnoreCase))
        {
            // MLflow refuses relative references in remote sources: they could point outside what was registered.
            if (source[scheme.Length..].Split('/').Any(s => s is ".." or "."))
            {
                throw KeelException.InvalidParameter(
                    $"Invalid model version source: '{source}'. If supplying a source as an http, https, local file path, ftp, objectstore, " +
                    "or mlflow-artifacts uri, an absolute path must be provided without relative path references present. Please provide an absolute path.");
            }

            return (source, runId);
        }

        if (runId is null || scheme.Success || source.StartsWith('/') || source.StartsWith('~') || source.Contains('\\', StringComparison.Ordinal))
        {
            throw KeelException.InvalidParameter(
                $"Invalid model version source: '{source}'. This server keeps artifacts behind its artifact proxy, so a source must be a " +
                "runs:/<run_id>/path or mlflow-artifacts:/ URI, a location in another store, or a path relative to the artifact root of the run given as run_id.");
        }

        return (await RunArtifactUriAsync(runId, ArtifactPath.Normalize(source), ct), runId);
    }

    private async Task<string> RunArtifactUriAsync(string runId, string path, CancellationToken ct)
    {
        var run = await tracking.GetRunAsync(runId, ct);
        var root = run.Info.ArtifactUri.TrimEnd('/');
        return path.Length == 0 ? root : $"{root}/{path}";
    }
}
