using Keel.Client;
using Keel.Serving.Models;

namespace Keel.Serving.Deployments;

/// <summary>Downloads and loads one registered model version.</summary>
internal delegate Task<ServedModel> VersionLoader(string name, long version, CancellationToken ct);

/// <summary>A deployment on a tracking server, read and reported through its REST API: what <c>keel serve --deployment</c> follows.</summary>
internal sealed class HttpDeploymentSource(KeelClient client, VersionLoader load) : IDeploymentSource
{
    public async Task<FollowedRevision?> LatestAsync(string deployment, CancellationToken ct)
    {
        DeploymentRevision latest;
        try
        {
            latest = (await client.Deployments.GetAsync(deployment, ct).ConfigureAwait(false)).Latest;
        }
        catch (KeelApiException e) when (e.ErrorCode == KeelErrorCodes.ResourceDoesNotExist)
        {
            return null;
        }

        return new FollowedRevision(
            latest.Revision,
            new ServedUri(latest.Model, latest.ModelVersion),
            latest.Canary is { } canary ? new ServedUri(canary.Model, latest.CanaryVersion) : null,
            latest.Canary?.Percent ?? 0,
            latest.Shadow is { } shadow ? new ServedUri(shadow, latest.ShadowVersion) : null);
    }

    public async Task<(string Name, long Version)> ResolveAsync(string modelUri, CancellationToken ct)
    {
        var version = await client.ResolveModelUriAsync(modelUri, ct).ConfigureAwait(false);
        return (version.Name, version.Version);
    }

    public Task<ServedModel> LoadAsync(string name, long version, CancellationToken ct) => load(name, version, ct);

    public Task ReportAsync(string deployment, long revision, string status, string? message, CancellationToken ct) =>
        client.Deployments.SetRevisionStatusAsync(deployment, revision, status, message, ct);
}
