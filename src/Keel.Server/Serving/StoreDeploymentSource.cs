using System.Globalization;
using Keel.Core;
using Keel.Core.Artifacts;
using Keel.Core.Deployments;
using Keel.Core.Registry;
using Keel.Core.Storage;
using Keel.Serving.Deployments;
using Keel.Serving.Models;
using Microsoft.Extensions.Options;

namespace Keel.Server.Serving;

/// <summary>
/// Deployments as the server itself sees them: read from the store, models resolved in the registry and copied from
/// the artifact store into <c>{data}/model-cache</c>, no HTTP round trip to itself.
/// </summary>
internal sealed class StoreDeploymentSource(DeploymentStore deployments, RegistryStore registry, IArtifactStore artifacts, IOptions<StorageOptions> storage)
    : IDeploymentSource
{
    private readonly string _cache = Path.Combine(Path.GetFullPath(storage.Value.DataDirectory), "model-cache");

    public async Task<FollowedRevision?> LatestAsync(string deployment, CancellationToken ct)
    {
        Deployment found;
        try
        {
            found = await deployments.GetAsync(deployment, ct);
        }
        catch (KeelException e) when (e.ErrorCode == ErrorCodes.ResourceDoesNotExist)
        {
            return null;
        }

        var latest = found.Latest;
        var spec = latest.Spec;
        return new FollowedRevision(
            latest.Revision,
            new ServedUri(spec.Model, latest.Versions.Model),
            spec.Canary is { } canary ? new ServedUri(canary.Model, latest.Versions.Canary) : null,
            spec.Canary?.Percent ?? 0,
            spec.Shadow is { } shadow ? new ServedUri(shadow, latest.Versions.Shadow) : null);
    }

    public async Task<(string Name, long Version)> ResolveAsync(string modelUri, CancellationToken ct)
    {
        var version = ModelUri.Parse(modelUri) switch
        {
            ModelUri.ModelVersion v => await registry.GetModelVersionAsync(v.Name, v.Version.ToString(CultureInfo.InvariantCulture), ct),
            ModelUri.ModelAlias a => await registry.GetModelVersionByAliasAsync(a.Name, a.Alias, ct),
            ModelUri.ModelStage s => (await registry.GetLatestVersionsAsync(s.Name, s.Stage is null ? null : [s.Stage], ct)).MaxBy(v => v.Version)
                ?? throw KeelException.NotFound($"No versions of model '{s.Name}'{(s.Stage is null ? "" : $" in stage '{s.Stage}'")} found."),
            _ => throw KeelException.InvalidParameter($"A deployment serves models:/ URIs, not '{modelUri}'."),
        };
        return (version.Name, version.Version);
    }

    public async Task<ServedModel> LoadAsync(string name, long version, CancellationToken ct)
    {
        var location = await registry.GetDownloadUriAsync(name, version.ToString(CultureInfo.InvariantCulture), ct);
        var directory = await new ModelPackageDownloader(new StoreFiles(artifacts), _cache).DownloadAsync(name, version, location, ct);
        return ModelLoader.Load(directory, name, version);
    }

    public Task ReportAsync(string deployment, long revision, string status, string? message, CancellationToken ct) =>
        deployments.SetStatusAsync(deployment, revision, status, message, ct);

    private sealed class StoreFiles(IArtifactStore artifacts) : IPackageFiles
    {
        public async Task<IReadOnlyList<(string Path, bool IsDir)>> ListAsync(string directory, CancellationToken ct) =>
            (await artifacts.ListAsync(directory, directory, ct)).Select(e => (e.Path, e.IsDir)).ToList();

        public Task<Stream> OpenReadAsync(string path, CancellationToken ct) => artifacts.OpenReadAsync(path, ct);
    }
}
